namespace ScimOrleans.Storage;

/// <summary>An event of the tenant feed, in commit order; <see cref="Sequence"/> is the cursor.</summary>
public sealed record StoredEvent(
    long Sequence,
    string Type,
    ResourceKind ResourceKind,
    string ResourceId,
    DateTimeOffset OccurredAt,
    string? DataJson);
