using System.Data.Common;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// Reads the edges an edge statement's <c>RETURNING</c> reports. Their order is unspecified on every engine, so they
/// are sorted here: events and TouchedGroups come out in a stable order.
/// </summary>
internal static class EdgeRows
{
    /// <summary>The order edges of one group are reported in: by member id, ordinal.</summary>
    public static readonly Comparer<EdgeChange> ByMemberId = Comparer<EdgeChange>.Create((a, b) => string.CompareOrdinal(a.MemberId, b.MemberId));

    /// <summary>Appends the edges of <paramref name="groupId"/> a statement returns as (member_id, member_kind), by member id.</summary>
    public static async Task ReadMembersAsync(DbCommand command, string groupId, List<EdgeChange> into, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await ReadMembersAsync(reader, groupId, into, cancellationToken);
    }

    /// <summary>As above, from the result set <paramref name="reader"/> is on (one statement of a batch).</summary>
    public static async Task ReadMembersAsync(DbDataReader reader, string groupId, List<EdgeChange> into, CancellationToken cancellationToken)
    {
        var start = into.Count;
        while (await reader.ReadAsync(cancellationToken))
        {
            into.Add(new EdgeChange(groupId, reader.GetString(0), (ResourceKind)reader.GetInt32(1)));
        }

        into.Sort(start, into.Count - start, ByMemberId);
    }

    /// <summary>The edges naming <paramref name="memberId"/> a statement returns as (group_id), by group id.</summary>
    public static async Task<IReadOnlyList<EdgeChange>> ReadGroupsAsync(
        DbCommand command, string memberId, ResourceKind memberKind, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadGroupsAsync(reader, memberId, memberKind, cancellationToken);
    }

    /// <summary>As above, from the result set <paramref name="reader"/> is on (one statement of a batch).</summary>
    public static async Task<IReadOnlyList<EdgeChange>> ReadGroupsAsync(
        DbDataReader reader, string memberId, ResourceKind memberKind, CancellationToken cancellationToken)
    {
        var edges = new List<EdgeChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            edges.Add(new EdgeChange(reader.GetString(0), memberId, memberKind));
        }

        edges.Sort((a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
        return edges;
    }
}
