using Npgsql;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// The statements of one <see cref="MembershipEdit"/> of a group, added to a batch so they travel in one round trip
/// (with whatever the batch holds before and after them), and the reading of their results: clear, remove, then add.
/// Every statement addresses edges by (tenant, group, member) key and takes the named ids as one <c>text[]</c>, so
/// adding or removing k members is a constant number of statements touching k rows, whatever the group's size.
/// </summary>
/// <remarks>
/// The add is one statement: it locks the named members <c>FOR SHARE</c> (in key order, so concurrent commits queue
/// instead of deadlocking), resolves each id to one kind (a user wins over a group of the same id, as in the SQLite
/// store) and inserts the edges only if every id was found; it returns the ids found and the edges actually inserted
/// (<c>ON CONFLICT DO NOTHING RETURNING</c>: existing edges are silent no-ops, and of two commits racing on one edge
/// exactly one reports it). Missing ids then fail the commit (400 invalidValue), which rolls back the clear and
/// removes sent before it. A group named as a member of itself sends no add at all.
/// </remarks>
internal sealed class PostgresEditStatements
{
    private static readonly string AddSql =
        $"WITH {AddCtes("@group", "@ids")} SELECT FALSE, id, kind FROM chosen UNION ALL SELECT TRUE, member_id, member_kind FROM added;";

    /// <summary>
    /// The add as three CTEs — <c>found</c> (the named members, locked <c>FOR SHARE</c> in key order), <c>chosen</c>
    /// (one kind per id) and <c>added</c> (the edges inserted, only if every id was found) — for the group and id array
    /// parameters named. Also used by <see cref="PostgresSingleTripGroupEdit"/>; needs <c>@tenant</c> and <c>@wanted</c>.
    /// </summary>
    public static string AddCtes(string groupParameter, string idsParameter) =>
        "found AS (SELECT r.id, r.kind FROM resources AS r " +
        $"WHERE r.tenant_id = @tenant AND r.kind IN ({KindLiterals.User}, {KindLiterals.Group}) AND r.id = ANY({idsParameter}) ORDER BY r.kind, r.id FOR SHARE), " +
        "chosen AS (SELECT id, MIN(kind) AS kind FROM found GROUP BY id), " +
        "added AS (INSERT INTO memberships (tenant_id, group_id, member_id, member_kind) " +
        $"SELECT @tenant, {groupParameter}, c.id, c.kind FROM chosen AS c WHERE (SELECT COUNT(*) FROM chosen) = @wanted " +
        "ON CONFLICT DO NOTHING RETURNING member_id, member_kind)";

    /// <summary>The removal of the named members' edges, returning (member_id, member_kind); needs <c>@tenant</c>.</summary>
    public static string RemoveSql(string groupParameter, string idsParameter) =>
        $"DELETE FROM memberships WHERE tenant_id = @tenant AND group_id = {groupParameter} AND member_id = ANY({idsParameter}) " +
        "RETURNING member_id, member_kind";

    private readonly string groupId;
    private readonly bool clear;
    private readonly bool remove;
    private readonly List<string> toAdd;
    private readonly bool addsItself;

    private PostgresEditStatements(string groupId, bool clear, bool remove, List<string> toAdd, bool addsItself)
    {
        this.groupId = groupId;
        this.clear = clear;
        this.remove = remove;
        this.toAdd = toAdd;
        this.addsItself = addsItself;
    }

    /// <summary>False when the edit needs no statement (it only names the group as its own member).</summary>
    public bool SendsAny => clear || remove || (toAdd.Count > 0 && !addsItself);

    /// <summary>Adds the statements of <paramref name="edit"/> to <paramref name="batch"/>.</summary>
    public static PostgresEditStatements AddTo(NpgsqlBatch batch, string tenantId, string groupId, MembershipEdit edit)
    {
        var toAdd = Distinct(edit.Add);
        var toRemove = Distinct(edit.Remove);
        var addsItself = toAdd.Contains(groupId, StringComparer.Ordinal);
        if (edit.ClearExisting)
        {
            var command = new NpgsqlBatchCommand(
                "DELETE FROM memberships WHERE tenant_id = @tenant AND group_id = @group RETURNING member_id, member_kind;");
            command.Parameters.AddValue("tenant", tenantId);
            command.Parameters.AddValue("group", groupId);
            batch.BatchCommands.Add(command);
        }

        if (toRemove.Count > 0)
        {
            var command = new NpgsqlBatchCommand(RemoveSql("@group", "@ids") + ";");
            command.Parameters.AddValue("tenant", tenantId);
            command.Parameters.AddValue("group", groupId);
            command.Parameters.AddValue("ids", toRemove.ToArray());
            batch.BatchCommands.Add(command);
        }

        if (toAdd.Count > 0 && !addsItself)
        {
            var command = new NpgsqlBatchCommand(AddSql);
            command.Parameters.AddValue("tenant", tenantId);
            command.Parameters.AddValue("group", groupId);
            command.Parameters.AddValue("ids", toAdd.ToArray());
            command.Parameters.AddValue("wanted", (long)toAdd.Count);
            batch.BatchCommands.Add(command);
        }

        return new PostgresEditStatements(groupId, edit.ClearExisting, toRemove.Count > 0, toAdd, addsItself);
    }

    /// <summary>
    /// Reads the statements' results (the reader's next result sets). <see cref="EditResults.Refusal"/> is the error
    /// the edit fails with, if it does: the caller decides whether it applies (an update whose row is gone fails with
    /// 404 instead).
    /// </summary>
    public async Task<EditResults> ReadAsync(PostgresBatchResults results, CancellationToken cancellationToken)
    {
        var removed = new List<EdgeChange>();
        if (clear)
        {
            await EdgeRows.ReadMembersAsync(await results.NextAsync(cancellationToken), groupId, removed, cancellationToken);
        }

        if (remove)
        {
            await EdgeRows.ReadMembersAsync(await results.NextAsync(cancellationToken), groupId, removed, cancellationToken);
        }

        var added = new List<EdgeChange>();
        ScimException? refusal = null;
        if (addsItself)
        {
            refusal = ScimException.InvalidValue($"Group '{groupId}' cannot be a member of itself.");
        }
        else if (toAdd.Count > 0)
        {
            var reader = await results.NextAsync(cancellationToken);
            var found = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetBoolean(0))
                {
                    added.Add(new EdgeChange(groupId, reader.GetString(1), (ResourceKind)reader.GetInt32(2)));
                }
                else
                {
                    found.Add(reader.GetString(1));
                }
            }

            added.Sort(EdgeRows.ByMemberId);
            var unknown = toAdd.Where(id => !found.Contains(id)).ToList();
            if (unknown.Count > 0)
            {
                refusal = ScimException.InvalidValue($"Members not found: {string.Join(", ", unknown)}.");
            }
        }

        var (netRemoved, netAdded) = EdgeChange.Net(removed, added);
        return new EditResults(netRemoved, netAdded, refusal);
    }

    private static List<string> Distinct(IReadOnlyList<string> ids) =>
        ids.Count == 0 ? [] : ids.Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The net edge changes of an edit (a member cleared and added back changed nothing), or why it fails.</summary>
    public sealed record EditResults(IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added, ScimException? Refusal);
}
