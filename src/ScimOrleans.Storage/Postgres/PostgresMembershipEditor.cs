using Npgsql;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Edge writes inside a commit's transaction (the statements of a group's edit: <see cref="PostgresEditStatements"/>).
/// Every statement addresses edges by (tenant, group, member) key or by the member index, so its cost does not grow
/// with the group; only <c>ClearExisting</c> reads a whole group, because it must report what it removed.
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
    /// <summary>
    /// Applies <paramref name="edit"/> to <paramref name="groupId"/> in one round trip and returns the net edge changes:
    /// an edge removed (by clear or remove) and added back in the same edit is unchanged and produces no event.
    /// </summary>
    public static async Task<(IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added)> ApplyAsync(
        PostgresWriteContext context, string tenantId, string groupId, MembershipEdit edit, CancellationToken cancellationToken)
    {
        await using var batch = context.Batch();
        var statements = PostgresEditStatements.AddTo(batch, tenantId, groupId, edit);
        PostgresEditStatements.EditResults results;
        if (!statements.SendsAny)
        {
            results = await statements.ReadAsync(PostgresBatchResults.None, cancellationToken);
        }
        else
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            results = await statements.ReadAsync(new PostgresBatchResults(reader), cancellationToken);
        }

        if (results.Refusal is { } refusal)
        {
            throw refusal;
        }

        return (results.Removed, results.Added);
    }

    /// <summary>The statement deleting every edge naming <paramref name="memberId"/> as a member, returning their groups.</summary>
    public static NpgsqlBatchCommand RemoveFromAllGroupsCommand(string tenantId, string memberId, ResourceKind memberKind)
    {
        var delete = new NpgsqlBatchCommand(
            "DELETE FROM memberships WHERE tenant_id = @tenant AND member_id = @member AND member_kind = @kind RETURNING group_id;");
        delete.Parameters.AddValue("tenant", tenantId);
        delete.Parameters.AddValue("member", memberId);
        delete.Parameters.AddValue("kind", (int)memberKind);
        return delete;
    }

    /// <summary>Deletes every edge naming <paramref name="memberId"/> (of <paramref name="memberKind"/>) as a member.</summary>
    public static async Task<IReadOnlyList<EdgeChange>> RemoveFromAllGroupsAsync(
        PostgresWriteContext context, string tenantId, string memberId, ResourceKind memberKind, CancellationToken cancellationToken)
    {
        await using var batch = context.Batch();
        batch.BatchCommands.Add(RemoveFromAllGroupsCommand(tenantId, memberId, memberKind));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await EdgeRows.ReadGroupsAsync(await new PostgresBatchResults(reader).NextAsync(cancellationToken), memberId, memberKind, cancellationToken);
    }

    /// <summary>Deletes the edges of a group being deleted (its own members), without reporting them, and its bumps.</summary>
    public static async Task DeleteGroupEdgesAsync(PostgresWriteContext context, string tenantId, string groupId, CancellationToken cancellationToken)
    {
        await using var batch = context.Batch();
        var delete = new NpgsqlBatchCommand("DELETE FROM memberships WHERE tenant_id = @tenant AND group_id = @group;");
        delete.Parameters.AddValue("tenant", tenantId);
        delete.Parameters.AddValue("group", groupId);
        batch.BatchCommands.Add(delete);
        batch.BatchCommands.Add(PostgresGroupBumps.DeleteCommand(tenantId, groupId));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
