using System.Buffers;
using System.Text;
using System.Text.Json;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// Edge writes inside the writer transaction. Every statement addresses edges by (tenant, group, member) key or by
/// the member index and receives the named ids as one JSON array parameter, so adding or removing k members is a
/// constant number of statements touching k rows, whatever the group's size. Only <c>ClearExisting</c> reads a whole
/// group, because it must report what it removed.
/// </summary>
internal static class SqliteMembershipEditor
{

    /// <summary>
    /// Applies <paramref name="edit"/> to <paramref name="groupId"/> and returns the net edge changes: an edge removed
    /// (by clear or remove) and added back in the same edit is unchanged and produces no event.
    /// </summary>
    public static async Task<(IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added)> ApplyAsync(
        SqliteWriteContext context, string tenantId, string groupId, MembershipEdit edit, CancellationToken cancellationToken)
    {
        var removed = new List<EdgeChange>();
        if (edit.ClearExisting)
        {
            var clear = context.Prepared(
                "DELETE FROM memberships WHERE tenant_id = @tenant AND group_id = @group RETURNING member_id, member_kind;");
            clear.Parameters.AddWithValue("@tenant", tenantId);
            clear.Parameters.AddWithValue("@group", groupId);
            await EdgeRows.ReadMembersAsync(clear, groupId, removed, cancellationToken);
        }

        var toRemove = Distinct(edit.Remove);
        if (toRemove.Count > 0)
        {
            var remove = context.Prepared(
                "DELETE FROM memberships WHERE tenant_id = @tenant AND group_id = @group " +
                "AND member_id IN (SELECT value FROM json_each(@ids)) RETURNING member_id, member_kind;");
            remove.Parameters.AddWithValue("@tenant", tenantId);
            remove.Parameters.AddWithValue("@group", groupId);
            remove.Parameters.AddWithValue("@ids", JsonArray(toRemove));
            await EdgeRows.ReadMembersAsync(remove, groupId, removed, cancellationToken);
        }

        var added = new List<EdgeChange>();
        var toAdd = Distinct(edit.Add);
        if (toAdd.Count > 0)
        {
            if (toAdd.Contains(groupId, StringComparer.Ordinal))
            {
                throw ScimException.InvalidValue($"Group '{groupId}' cannot be a member of itself.");
            }

            var ids = JsonArray(toAdd);
            await ThrowIfAnyMissingAsync(context, tenantId, ids, cancellationToken);

            // "WHERE true" resolves SQLite's parsing ambiguity between a join's ON and the upsert's ON CONFLICT.
            // RETURNING reports only rows actually inserted, so existing edges are silent no-ops.
            var insert = context.Prepared(
                "INSERT INTO memberships (tenant_id, group_id, member_id, member_kind) " +
                "SELECT @tenant, @group, j.value, (SELECT MIN(r.kind) FROM resources AS r " +
                $"WHERE r.tenant_id = @tenant AND r.kind IN ({KindLiterals.User}, {KindLiterals.Group}) AND r.id = j.value) " +
                "FROM json_each(@ids) AS j WHERE true ON CONFLICT DO NOTHING RETURNING member_id, member_kind;");
            insert.Parameters.AddWithValue("@tenant", tenantId);
            insert.Parameters.AddWithValue("@group", groupId);
            insert.Parameters.AddWithValue("@ids", ids);
            await EdgeRows.ReadMembersAsync(insert, groupId, added, cancellationToken);
        }

        return EdgeChange.Net(removed, added);
    }

    /// <summary>400 invalidValue naming the members to add that are neither a user nor a group of the tenant.</summary>
    private static async Task ThrowIfAnyMissingAsync(SqliteWriteContext context, string tenantId, string ids, CancellationToken cancellationToken)
    {
        var missing = context.Prepared(
            "SELECT j.value FROM json_each(@ids) AS j WHERE NOT EXISTS (SELECT 1 FROM resources AS r " +
            $"WHERE r.tenant_id = @tenant AND r.kind IN ({KindLiterals.User}, {KindLiterals.Group}) AND r.id = j.value);");
        missing.Parameters.AddWithValue("@tenant", tenantId);
        missing.Parameters.AddWithValue("@ids", ids);
        var unknown = new List<string>();
        await using (var reader = await missing.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                unknown.Add(reader.GetString(0));
            }
        }

        if (unknown.Count > 0)
        {
            throw ScimException.InvalidValue($"Members not found: {string.Join(", ", unknown)}.");
        }
    }

    /// <summary>Deletes every edge naming <paramref name="memberId"/> (of <paramref name="memberKind"/>) as a member.</summary>
    public static async Task<IReadOnlyList<EdgeChange>> RemoveFromAllGroupsAsync(
        SqliteWriteContext context, string tenantId, string memberId, ResourceKind memberKind, CancellationToken cancellationToken)
    {
        var delete = context.Prepared(
            "DELETE FROM memberships WHERE tenant_id = @tenant AND member_id = @member AND member_kind = @kind RETURNING group_id;");
        delete.Parameters.AddWithValue("@tenant", tenantId);
        delete.Parameters.AddWithValue("@member", memberId);
        delete.Parameters.AddWithValue("@kind", (int)memberKind);
        return await EdgeRows.ReadGroupsAsync(delete, memberId, memberKind, cancellationToken);
    }

    /// <summary>Deletes the edges of a group being deleted (its own members), without reporting them.</summary>
    public static async Task DeleteGroupEdgesAsync(SqliteWriteContext context, string tenantId, string groupId, CancellationToken cancellationToken)
    {
        var delete = context.Prepared("DELETE FROM memberships WHERE tenant_id = @tenant AND group_id = @group;");
        delete.Parameters.AddWithValue("@tenant", tenantId);
        delete.Parameters.AddWithValue("@group", groupId);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Bumps version and lastModified of groups whose edges changed as a side effect.</summary>
    public static async Task BumpGroupsAsync(
        SqliteWriteContext context, string tenantId, IReadOnlyList<string> groupIds, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (groupIds.Count == 0)
        {
            return;
        }

        var bump = context.Prepared(
            "UPDATE resources SET version = version + 1, last_modified = @at " +
            $"WHERE tenant_id = @tenant AND kind = {KindLiterals.Group} AND id IN (SELECT value FROM json_each(@ids));");
        bump.Parameters.AddWithValue("@tenant", tenantId);
        bump.Parameters.AddWithValue("@at", StoreTime.ToUnixMicroseconds(at));
        bump.Parameters.AddWithValue("@ids", JsonArray(groupIds));
        await bump.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<string> Distinct(IReadOnlyList<string> ids) =>
        ids.Count == 0 ? [] : ids.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A JSON array of strings, the one-parameter form of an id list (expanded with json_each).</summary>
    internal static string JsonArray(IEnumerable<string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
