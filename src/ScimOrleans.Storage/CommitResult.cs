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
/// <param name="JoinedUsers">
/// Of <paramref name="ChangedMembers"/>, the users the commit (a group's) only added to that group: each one's
/// <c>groups</c> gained exactly this group and the groups it is in, nothing else. Empty when there are none; null when
/// the engine did not say.
/// </param>
public sealed record CommitResult(
    bool Changed,
    long Version,
    DateTimeOffset LastModified,
    IReadOnlyList<string> TouchedGroups,
    IReadOnlyList<string>? ChangedMembers = null,
    bool GroupMemberChanged = false,
    IReadOnlyList<string>? JoinedUsers = null)
{
    /// <summary>The result's membership facts from the edges a commit actually removed, added and dropped.</summary>
    internal CommitResult WithMembership(IReadOnlyList<EdgeChange> removed, IReadOnlyList<EdgeChange> added, IReadOnlyList<EdgeChange>? dropped = null)
    {
        dropped ??= [];
        List<EdgeChange> changed = [.. removed, .. added, .. dropped];
        var members = changed.Select(e => e.MemberId).Distinct(StringComparer.Ordinal).ToList();
        var groupMember = changed.Exists(e => e.MemberKind == ResourceKind.Group);
        var left = removed.Concat(dropped).Select(e => e.MemberId).ToHashSet(StringComparer.Ordinal);
        var joined = added.Where(e => e.MemberKind == ResourceKind.User && !left.Contains(e.MemberId)).Select(e => e.MemberId)
            .Distinct(StringComparer.Ordinal).ToList();
        return this with { ChangedMembers = members, GroupMemberChanged = groupMember, JoinedUsers = joined };
    }

    /// <summary>The result's membership facts when the commit only removed edges (a member leaving its groups).</summary>
    internal CommitResult WithMembershipDropped(IReadOnlyList<EdgeChange> dropped) => WithMembership([], [], dropped);
}
