namespace ScimOrleans.Storage;

/// <summary>
/// What the first statements of an update found and did: the stored row (null when there is none) and, when it was at
/// the expected version, the edges its membership edit changed and the edges it lost by leaving every group.
/// </summary>
internal sealed record UpdateStart(
    StoredVersion? Stored, IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added, IReadOnlyList<EdgeChange> Dropped)
{
    /// <summary>The row as found, with no edge work done (it is missing, or at another version).</summary>
    public static UpdateStart Only(StoredVersion? stored) => new(stored, [], [], []);
}
