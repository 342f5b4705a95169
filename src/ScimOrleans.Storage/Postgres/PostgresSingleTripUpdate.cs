using Npgsql;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// The common update — the attributes changed, no membership edit (a PATCH of a user's attributes, a deactivation, a
/// group rename) — as one batch in one implicit transaction: one round trip instead of two. The row update is guarded
/// by the expected version and comes first, so it takes the row lock exactly where the general path's lock would;
/// the user's own events follow; a deactivation's removal from every group is one statement that deletes the edges,
/// bumps their groups and appends one event per edge, so nothing it returns has to travel back before the commit.
/// </summary>
/// <remarks>
/// The general path (<see cref="ResourceCommitter"/> over <see cref="PostgresCommitSession"/>) reads the stored row
/// first because it must tell a missing row (404) from a stale copy (409) and carry a stored password hash over. Here
/// the update simply fails if the row is not at the expected version (<c>scim_require_row</c> raises 40001 and the
/// implicit transaction writes nothing); the committer then runs the general path, which reports the real state. A
/// password hash that is neither set nor cleared is left in its column. Outcomes, events and their order (the commit's
/// own events, then one per dropped edge by group id) are the general path's; only a membership event's JSON text is
/// written by PostgreSQL (<c>to_json</c>), which escapes ids outside printable ASCII differently from System.Text.Json
/// — the same JSON value (ids are server-assigned GUIDs).
/// </remarks>
internal static class PostgresSingleTripUpdate
{
    private static readonly string RemoveFromAllGroupsSql =
        "WITH dropped AS (DELETE FROM memberships WHERE tenant_id = @tenant AND member_id = @member AND member_kind = @kind RETURNING group_id), " +
        "bumped AS (INSERT INTO group_bumps (tenant_id, group_id, bumped_at) SELECT @tenant, group_id, @at FROM dropped), " +
        "logged AS (INSERT INTO events (tenant_id, type, resource_kind, resource_id, occurred_at, data) " +
        $"SELECT @tenant, @type, {KindLiterals.Group}, d.group_id, @at, @dataHead || to_json(d.group_id)::text || @dataTail " +
        "FROM dropped AS d ORDER BY d.group_id) " +
        "SELECT group_id FROM dropped;";

    /// <summary>Whether <paramref name="commit"/> can take this path.</summary>
    public static bool Applies(ResourceCommit commit) =>
        commit.Action == CommitAction.Update && commit.RowChanged && commit.Membership is null or { IsEmpty: true };

    /// <summary>
    /// Writes <paramref name="commit"/> in one round trip, or returns null, having written nothing, when the row is not
    /// at the expected version (or is gone): the general path then finds out which.
    /// </summary>
    public static async Task<CommitResult?> TryAsync(NpgsqlConnection connection, ResourceCommit commit, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var part = AddTo(batch, commit);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            return await part.ReadAsync(new PostgresBatchResults(reader), cancellationToken);
        }
        catch (PostgresException error) when (PostgresErrors.IsStaleRow(error))
        {
            return null;
        }
        catch (PostgresException error) when (PostgresErrors.Translate(error, commit.Row!) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>
    /// Writes every commit of <paramref name="run"/> in one round trip and one implicit transaction, or nothing (null)
    /// if any of them fails (a stale row, a taken name, a deadlock): each is then written alone (<see cref="PostgresTogether"/>).
    /// </summary>
    /// <remarks>
    /// The rows are updated, and so locked, in key order (tenant, kind, id), the order in which a group's member add
    /// locks its members: a batch and a concurrent add naming several of its users wait for each other instead of
    /// deadlocking.
    /// </remarks>
    public static async Task<CommitOutcome[]?> TryManyAsync(NpgsqlDataSource dataSource, IReadOnlyList<ResourceCommit> run, CancellationToken cancellationToken)
    {
        var order = Enumerable.Range(0, run.Count)
            .OrderBy(i => run[i].TenantId, StringComparer.Ordinal)
            .ThenBy(i => run[i].Kind)
            .ThenBy(i => run[i].Id, StringComparer.Ordinal)
            .ToList();
        await using var batch = dataSource.CreateBatch();
        var parts = order.ConvertAll(i => AddTo(batch, run[i]));
        return await PostgresTogether.TryAsync(run.Count, async () =>
        {
            var outcomes = new CommitOutcome[run.Count];
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var results = new PostgresBatchResults(reader);
            for (var k = 0; k < parts.Count; k++)
            {
                outcomes[order[k]] = CommitOutcome.Succeeded(await parts[k].ReadAsync(results, cancellationToken));
            }

            return outcomes;
        });
    }

    /// <summary>Adds <paramref name="commit"/>'s statements to <paramref name="batch"/>; the part reads their results.</summary>
    private static Part AddTo(NpgsqlBatch batch, ResourceCommit commit)
    {
        var row = commit.Row!;
        var at = StoreTime.Truncate(row.LastModified);
        var keepPassword = commit.PasswordHash is null && !commit.ClearPassword;
        var write = RowWrite.Update(row, commit.PasswordHash, commit.ExpectedVersion);
        var events = new PostgresEventAppender(commit.TenantId, at);
        events.Append(commit.Events);

        batch.BatchCommands.Add(PostgresCommitSession.GuardedUnreadUpdateCommand(write, keepPassword));
        PostgresCommitSession.AddIfAny(batch, events.ToCommand());
        if (commit.RemoveFromAllGroups)
        {
            batch.BatchCommands.Add(RemoveFromAllGroupsCommand(commit, at));
        }

        return new Part(commit, at);
    }

    /// <summary>One commit's share of a batch: reads its results (the guarded update's, the dropped edges).</summary>
    private sealed record Part(ResourceCommit Commit, DateTimeOffset At)
    {
        public async Task<CommitResult> ReadAsync(PostgresBatchResults results, CancellationToken cancellationToken)
        {
            await results.NextAsync(cancellationToken);
            IReadOnlyList<EdgeChange> dropped = [];
            if (Commit.RemoveFromAllGroups)
            {
                dropped = await EdgeRows.ReadGroupsAsync(await results.NextAsync(cancellationToken), Commit.Id, Commit.Kind, cancellationToken);
            }

            return new CommitResult(true, Commit.Row!.Version, At, ResourceCommitter.GroupsOf(dropped)).WithMembershipDropped(dropped);
        }
    }

    private static NpgsqlBatchCommand RemoveFromAllGroupsCommand(ResourceCommit commit, DateTimeOffset at)
    {
        var command = new NpgsqlBatchCommand(RemoveFromAllGroupsSql);
        command.Parameters.AddValue("tenant", commit.TenantId);
        command.Parameters.AddValue("member", commit.Id);
        command.Parameters.AddValue("kind", (int)commit.Kind);
        command.Parameters.AddValue("at", PostgresValues.Time(at));
        command.Parameters.AddValue("type", commit.Kind == ResourceKind.User ? MembershipEvents.UserRemoved : MembershipEvents.GroupRemoved);
        command.Parameters.AddValue("dataHead", MembershipEvents.DataHead);
        command.Parameters.AddValue("dataTail", MembershipEvents.DataTail(commit.Id, commit.Kind));
        return command;
    }
}
