namespace ScimOrleans.Storage;

/// <summary>What a commit did.</summary>
/// <param name="Changed">False when nothing changed (no row written, no event appended).</param>
/// <param name="Version">The resource's version after the commit.</param>
/// <param name="LastModified">The resource's lastModified after the commit.</param>
/// <param name="TouchedGroups">Groups whose edges (and so version) changed as a side effect, e.g. on user deactivation or deletion.</param>
/// <param name="ChangedMembers">
/// Members (users or groups) the commit added to or removed from a group: whose <c>groups</c> changed. Empty when no
/// edge changed; null when the engine did not say (then assume any may have).
/// </param>
/// <param name="GroupMemberChanged">
/// Whether one of <paramref name="ChangedMembers"/> is a group: then the <c>groups</c> of that group's own members
/// (indirect memberships) changed too.
/// </param>
public sealed record CommitResult(
    bool Changed,
    long Version,
    DateTimeOffset LastModified,
    IReadOnlyList<string> TouchedGroups,
    IReadOnlyList<string>? ChangedMembers = null,
    bool GroupMemberChanged = false)
{
    /// <summary>The result's membership facts from the edges a commit actually added, removed and dropped.</summary>
    internal CommitResult WithMembership(params IReadOnlyList<EdgeChange>[] edges)
    {
        var members = edges.SelectMany(e => e).Select(e => e.MemberId).Distinct(StringComparer.Ordinal).ToList();
        var groupMember = edges.Any(list => list.Any(e => e.MemberKind == ResourceKind.Group));
        return this with { ChangedMembers = members, GroupMemberChanged = groupMember };
    }
}
