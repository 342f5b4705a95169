namespace ScimOrleans.Storage;

/// <summary>An event a commit appends to the tenant's feed. <see cref="DataJson"/> is the resource snapshot, if any.</summary>
public sealed record EventDraft(string Type, ResourceKind ResourceKind, string ResourceId, string? DataJson);
