namespace ScimOrleans.Storage;

/// <summary>A tenant known to the store.</summary>
public sealed record TenantRecord(string TenantId, DateTimeOffset Created);
