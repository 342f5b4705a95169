namespace ScimOrleans.Storage;

/// <summary>
/// One stored resource. <see cref="Json"/> holds its attributes (with <c>id</c> and <c>schemas</c>, without
/// <c>meta</c>, <c>members</c>, <c>groups</c> or <c>password</c>); meta comes from the columns.
/// </summary>
public sealed record ResourceRow(
    string TenantId,
    ResourceKind Kind,
    string Id,
    long Version,
    string Json,
    DateTimeOffset Created,
    DateTimeOffset LastModified,
    IndexedAttributes Indexed);
