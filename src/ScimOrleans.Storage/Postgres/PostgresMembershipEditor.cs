using System.Globalization;
using Npgsql;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Edge writes inside a commit's transaction. Every statement addresses edges by (tenant, group, member) key or by the
/// member index and receives the named ids as one <c>text[]</c> parameter, so adding or removing k members is a
/// constant number of statements touching k rows, whatever the group's size. Only <c>ClearExisting</c> reads a whole
/// group, because it must report what it removed.
/// </summary>
/// <remarks>
/// Concurrency with other silos (READ COMMITTED): edge inserts use <c>ON CONFLICT DO NOTHING RETURNING</c> and deletes
/// <c>DELETE … RETURNING</c>, so when two commits race on one edge exactly one of them reports (and emits an event
/// for) the change. Members to add are locked <c>FOR SHARE</c> while the commit runs: a concurrent delete of a member
/// (or a user update that removes it from all groups) either finishes first, and the add then finds the member gone
/// or already removed, or waits for the add to commit and then sees, and removes, the new edge. No edge can survive
/// its member's deletion or deactivation.
/// </remarks>
internal static class PostgresMembershipEditor
{
    private static readonly string UserKind = ((int)ResourceKind.User).ToString(CultureInfo.InvariantCulture);
    private static readonly string GroupKind = ((int)ResourceKind.Group).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Applies <paramref name="edit"/> to <paramref name="groupId"/> and returns the net edge changes: an edge removed
    /// (by clear or remove) and added back in the same edit is unchanged and produces no event.
    /// </summary>
    public static async Task<(IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added)> ApplyAsync(
        PostgresWriteContext context, string tenantId, string groupId, MembershipEdit edit, CancellationToken cancellationToken)
    {
        var toAdd = Distinct(edit.Add);
        if (toAdd.Contains(groupId, StringComparer.Ordinal))
        {
            throw ScimException.InvalidValue($"Group '{groupId}' cannot be a member of itself.");
        }

        // Checked before anything is deleted: a commit that is going to fail does no work.
        var kinds = toAdd.Count > 0 ? await LockMembersAsync(context, tenantId, toAdd, cancellationToken) : [];

        var removed = new List<EdgeChange>();
        if (edit.ClearExisting)
        {
            await using var clear = context.Command(
                "DELETE FROM memberships WHERE tenant_id = @tenant AND group_id = @group RETURNING member_id, member_kind;");
            clear.Parameters.AddValue("tenant", tenantId);
            clear.Parameters.AddValue("group", groupId);
            await EdgeRows.ReadMembersAsync(clear, groupId, removed, cancellationToken);
        }

        var toRemove = Distinct(edit.Remove);
        if (toRemove.Count > 0)
        {
            await using var remove = context.Command(
                "DELETE FROM memberships WHERE tenant_id = @tenant AND group_id = @group AND member_id = ANY(@ids) " +
                "RETURNING member_id, member_kind;");
            remove.Parameters.AddValue("tenant", tenantId);
            remove.Parameters.AddValue("group", groupId);
            remove.Parameters.AddValue("ids", toRemove.ToArray());
            await EdgeRows.ReadMembersAsync(remove, groupId, removed, cancellationToken);
        }

        var added = new List<EdgeChange>();
        if (toAdd.Count > 0)
        {
            // RETURNING reports only rows actually inserted, so existing edges are silent no-ops.
            await using var insert = context.Command(
                "INSERT INTO memberships (tenant_id, group_id, member_id, member_kind) " +
                "SELECT @tenant, @group, u.id, u.kind FROM unnest(@ids::text[], @kinds::integer[]) AS u (id, kind) " +
                "ON CONFLICT DO NOTHING RETURNING member_id, member_kind;");
            insert.Parameters.AddValue("tenant", tenantId);
            insert.Parameters.AddValue("group", groupId);
            insert.Parameters.AddValue("ids", toAdd.ToArray());
            insert.Parameters.AddValue("kinds", toAdd.Select(id => (int)kinds[id]).ToArray());
            await EdgeRows.ReadMembersAsync(insert, groupId, added, cancellationToken);
        }

        return EdgeChange.Net(removed, added);
    }

    /// <summary>Deletes every edge naming <paramref name="memberId"/> (of <paramref name="memberKind"/>) as a member.</summary>
    public static async Task<IReadOnlyList<EdgeChange>> RemoveFromAllGroupsAsync(
        PostgresWriteContext context, string tenantId, string memberId, ResourceKind memberKind, CancellationToken cancellationToken)
    {
        await using var delete = context.Command(
            "DELETE FROM memberships WHERE tenant_id = @tenant AND member_id = @member AND member_kind = @kind RETURNING group_id;");
        delete.Parameters.AddValue("tenant", tenantId);
        delete.Parameters.AddValue("member", memberId);
        delete.Parameters.AddValue("kind", (int)memberKind);
        return await EdgeRows.ReadGroupsAsync(delete, memberId, memberKind, cancellationToken);
    }

    /// <summary>Deletes the edges of a group being deleted (its own members), without reporting them.</summary>
    public static async Task DeleteGroupEdgesAsync(PostgresWriteContext context, string tenantId, string groupId, CancellationToken cancellationToken)
    {
        await using var delete = context.Command("DELETE FROM memberships WHERE tenant_id = @tenant AND group_id = @group;");
        delete.Parameters.AddValue("tenant", tenantId);
        delete.Parameters.AddValue("group", groupId);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The statement bumping version and lastModified of groups whose edges changed as a side effect, or null when there is none.</summary>
    public static NpgsqlBatchCommand? BumpGroups(string tenantId, IReadOnlyList<string> groupIds, DateTimeOffset at)
    {
        if (groupIds.Count == 0)
        {
            return null;
        }

        // version + 1 is computed on the newest row version even if another commit updated the group meanwhile
        // (READ COMMITTED re-reads the row after waiting for its lock), so no bump is lost.
        var bump = new NpgsqlBatchCommand(
            "UPDATE resources SET version = version + 1, last_modified = @at " +
            $"WHERE tenant_id = @tenant AND kind = {GroupKind} AND id = ANY(@ids);");
        bump.Parameters.AddValue("tenant", tenantId);
        bump.Parameters.AddValue("at", PostgresValues.Time(at));
        bump.Parameters.AddValue("ids", groupIds.ToArray());
        return bump;
    }

    /// <summary>
    /// Locks the members to add <c>FOR SHARE</c> (in key order, so concurrent commits queue instead of deadlocking on
    /// each other) and returns their kinds; throws 400 invalidValue naming every id that does not exist in the tenant.
    /// An id used by both a user and a group resolves to the user, as in the SQLite store.
    /// </summary>
    private static async Task<Dictionary<string, ResourceKind>> LockMembersAsync(
        PostgresWriteContext context, string tenantId, List<string> ids, CancellationToken cancellationToken)
    {
        await using var select = context.Command(
            "SELECT r.id, r.kind FROM resources AS r " +
            $"WHERE r.tenant_id = @tenant AND r.kind IN ({UserKind}, {GroupKind}) AND r.id = ANY(@ids) " +
            "ORDER BY r.kind, r.id FOR SHARE;");
        select.Parameters.AddValue("tenant", tenantId);
        select.Parameters.AddValue("ids", ids.ToArray());
        var kinds = new Dictionary<string, ResourceKind>(ids.Count, StringComparer.Ordinal);
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                kinds.TryAdd(reader.GetString(0), (ResourceKind)reader.GetInt32(1));
            }
        }

        var unknown = ids.Where(id => !kinds.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            throw ScimException.InvalidValue($"Members not found: {string.Join(", ", unknown)}.");
        }

        return kinds;
    }

    private static List<string> Distinct(IReadOnlyList<string> ids) =>
        ids.Count == 0 ? [] : ids.Distinct(StringComparer.Ordinal).ToList();
}
