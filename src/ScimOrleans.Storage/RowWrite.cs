namespace ScimOrleans.Storage;

/// <summary>
/// The resource row a commit writes: an insert, or (with <see cref="ExpectedVersion"/>) an update guarded by the
/// version the writer's copy is at.
/// </summary>
internal sealed record RowWrite(ResourceRow Row, string? PasswordHash, long? ExpectedVersion)
{
    public static RowWrite Insert(ResourceRow row, string? passwordHash) => new(row, passwordHash, null);

    public static RowWrite Update(ResourceRow row, string? passwordHash, long expectedVersion) => new(row, passwordHash, expectedVersion);
}
