namespace ScimOrleans.Storage;

/// <summary>
/// The last writes of a commit, which nothing else depends on: the row (if any), the version bump of groups whose
/// edges changed as a side effect, and the events, all at <paramref name="At"/>. <paramref name="EndsCommit"/>: nothing
/// of the commit follows these writes, so an engine running an explicit transaction may send its COMMIT with them.
/// </summary>
internal sealed record CommitWrites(
    string TenantId, RowWrite? Row, IReadOnlyList<string> BumpedGroups, DateTimeOffset At, IReadOnlyList<EventDraft> Events, bool EndsCommit = false);
