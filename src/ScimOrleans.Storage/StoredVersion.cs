namespace ScimOrleans.Storage;

/// <summary>What a commit needs to know of the stored row before it changes it.</summary>
internal readonly record struct StoredVersion(long Version, DateTimeOffset LastModified, string? PasswordHash);
