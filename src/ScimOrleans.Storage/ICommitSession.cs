namespace ScimOrleans.Storage;

/// <summary>
/// The statements of one commit on one engine, inside the transaction the engine runs it in. What a commit means is
/// decided once, by <see cref="ResourceCommitter"/>; an engine supplies only SQL, driver types and how statements
/// are sent. Methods that return something the committer decides on run at once; <see cref="WriteAsync"/> takes the
/// writes whose results decide nothing further, so an engine may send them together.
/// </summary>
internal interface ICommitSession
{
    /// <summary>
    /// The row's stored version, lastModified and password hash, or null when there is no row. Engines whose writers
    /// run in parallel lock the row here until the transaction ends.
    /// </summary>
    Task<StoredVersion?> LockCurrentAsync(string tenantId, ResourceKind kind, string id, CancellationToken cancellationToken);

    /// <summary>
    /// The first statements of an update: reads (and locks, as <see cref="LockCurrentAsync"/>) the row, and applies the
    /// update's edge statements — <paramref name="edit"/> to the group, and leaving every group when
    /// <paramref name="removeFromAllGroups"/> — if the row is at <paramref name="expectedVersion"/>. Engines that send
    /// all of these in one round trip run the edge statements regardless and report none of their results when the row
    /// is missing or at another version: the committer then fails the commit and the transaction rolls them back.
    /// Throws 400 invalidValue as <see cref="ApplyMembershipAsync"/> does, only when the row is at the expected version.
    /// </summary>
    Task<UpdateStart> StartUpdateAsync(
        string tenantId, ResourceKind kind, string id, long expectedVersion, MembershipEdit? edit, bool removeFromAllGroups,
        CancellationToken cancellationToken);

    /// <summary>Deletes the row if it is at <paramref name="expectedVersion"/>; false when no row was deleted.</summary>
    Task<bool> DeleteRowAsync(string tenantId, ResourceKind kind, string id, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="edit"/> to <paramref name="groupId"/> and returns the net edge changes, in a stable
    /// order; throws 400 invalidValue for members that do not exist and for a group made a member of itself.
    /// </summary>
    Task<(IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added)> ApplyMembershipAsync(
        string tenantId, string groupId, MembershipEdit edit, CancellationToken cancellationToken);

    /// <summary>Deletes every edge naming <paramref name="memberId"/> as a member and returns them, ordered by group.</summary>
    Task<IReadOnlyList<EdgeChange>> RemoveFromAllGroupsAsync(string tenantId, string memberId, ResourceKind memberKind, CancellationToken cancellationToken);

    /// <summary>Deletes the edges of a group being deleted (its own members), without reporting them.</summary>
    Task DeleteGroupEdgesAsync(string tenantId, string groupId, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="writes"/> in order: the row write, the group bumps, the events. Constraint errors of the
    /// row write become the contract's exceptions. False when an update found no row at its expected version (the
    /// commit is then failed and rolled back, so the other writes need not run). With <see cref="CommitWrites.EndsCommit"/>
    /// an engine may end its transaction with these writes; an update that then finds no row must fail the whole
    /// transaction rather than let the other writes commit.
    /// </summary>
    Task<bool> WriteAsync(CommitWrites writes, CancellationToken cancellationToken);
}
