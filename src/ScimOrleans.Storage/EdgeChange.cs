namespace ScimOrleans.Storage;

/// <summary>One membership edge a commit actually added or removed.</summary>
internal readonly record struct EdgeChange(string GroupId, string MemberId, ResourceKind MemberKind)
{
    /// <summary>
    /// The net effect of one edit: a member removed and added back in the same edit (clear, then re-add) changed
    /// nothing, so it yields neither event nor version bump.
    /// </summary>
    public static (IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added) Net(List<EdgeChange> removed, List<EdgeChange> added)
    {
        if (removed.Count == 0 || added.Count == 0)
        {
            return (removed, added);
        }

        var readded = added.Select(e => e.MemberId).ToHashSet(StringComparer.Ordinal);
        var reremoved = removed.Select(e => e.MemberId).ToHashSet(StringComparer.Ordinal);
        return (
            removed.Where(e => !readded.Contains(e.MemberId)).ToList(),
            added.Where(e => !reremoved.Contains(e.MemberId)).ToList());
    }
}
