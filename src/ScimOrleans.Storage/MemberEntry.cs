namespace ScimOrleans.Storage;

/// <summary>A member of a group as listed on the group: id, kind and a display value (userName/displayName).</summary>
public sealed record MemberEntry(string Id, ResourceKind Kind, string? Display);
