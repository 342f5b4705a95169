namespace ScimOrleans.Storage;

/// <summary>
/// Edge changes of one group, applied in order: clear all edges (if <see cref="ClearExisting"/>), remove
/// <see cref="Remove"/>, add <see cref="Add"/> (adding an existing edge is a no-op). Member kinds come from the
/// members' own rows; adding a member id that does not exist in the tenant fails the commit (400 invalidValue).
/// </summary>
public sealed record MembershipEdit(bool ClearExisting, IReadOnlyList<string> Add, IReadOnlyList<string> Remove)
{
    public bool IsEmpty => !ClearExisting && Add.Count == 0 && Remove.Count == 0;
}
