using Npgsql;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// A group's member adds and removes (the PATCHes IdPs send one member at a time, and the adds and removes a full
/// member list is diffed into) as one batch that opens and commits its transaction: one round trip instead of two. First the
/// group's row is locked and its version checked, as the general path's first statement does; then one statement
/// removes and adds the edges (adds locking the members <c>FOR SHARE</c>, exactly the general path's add), appends one
/// event per edge it really changed and writes the group's row only if something changed.
/// </summary>
/// <remarks>
/// Taken when the edit neither clears the group nor names a member both to add and to remove, nor the group itself.
/// Anything the general path would refuse or report (a stale or missing row, bumps waiting to be folded, a member that
/// does not exist) makes the batch raise <c>scim_require_row</c>'s error, which rolls it all back; the committer then
/// runs the general path, which gives the precise answer (409, 404 or 400 naming the missing members). Outcomes and
/// events, in their order (the commit's own, then removed edges, then added ones, each by member id), are the general
/// path's.
/// </remarks>
internal static class PostgresSingleTripGroupEdit
{
    private static readonly string LockSql =
        $"WITH locked AS (SELECT tenant_id, id, version, last_modified FROM resources WHERE tenant_id = @tenant AND kind = {KindLiterals.Group} AND id = @id " +
        "FOR NO KEY UPDATE) " +
        $"SELECT scim_require_row(EXISTS (SELECT 1 FROM locked AS l WHERE l.version = @expected AND {PostgresGroupBumps.NoneWaiting("l")})), " +
        "(SELECT last_modified FROM locked);";

    /// <summary>Whether <paramref name="commit"/> can take this path.</summary>
    public static bool Applies(ResourceCommit commit)
    {
        if (commit is not { Action: CommitAction.Update, Kind: ResourceKind.Group, Membership: { IsEmpty: false, ClearExisting: false } edit }
            || commit.PasswordHash is not null
            || commit.ClearPassword)
        {
            return false;
        }

        var added = edit.Add.ToHashSet(StringComparer.Ordinal);
        return !added.Contains(commit.Id) && !edit.Remove.Any(added.Contains);
    }

    /// <summary>
    /// Writes <paramref name="commit"/> in one round trip, or returns null, having written nothing, when the general
    /// path has to decide (see the remarks).
    /// </summary>
    public static async Task<CommitResult?> TryAsync(NpgsqlConnection connection, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var edit = commit.Membership!;
        var toAdd = edit.Add.Distinct(StringComparer.Ordinal).ToArray();
        var toRemove = edit.Remove.Distinct(StringComparer.Ordinal).ToArray();
        var row = commit.Row!;
        var at = StoreTime.Truncate(row.LastModified);
        var events = new PostgresEventAppender(commit.TenantId, at);
        if (commit.RowChanged)
        {
            // As on the general path, the commit's own events only when its attributes changed (then it changes
            // something for certain); membership events come from the edges.
            events.Append(commit.Events);
        }

        // An explicit transaction, opened and committed by the batch itself (still one round trip), only so that the
        // edge statement, which takes id arrays, is planned generically (PostgresWriteContext.GenericPlans): in an
        // implicit transaction it was planned again on every execution and the path was no faster than two round trips.
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL READ COMMITTED;"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgresWriteContext.GenericPlans));
        var lockRow = new NpgsqlBatchCommand(LockSql);
        lockRow.Parameters.AddValue("tenant", commit.TenantId);
        lockRow.Parameters.AddValue("id", commit.Id);
        lockRow.Parameters.AddValue("expected", commit.ExpectedVersion);
        batch.BatchCommands.Add(lockRow);
        PostgresCommitSession.AddIfAny(batch, events.ToCommand());
        batch.BatchCommands.Add(EditCommand(commit, toAdd, toRemove, at));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT;"));

        DateTimeOffset storedLastModified;
        var removed = new List<EdgeChange>();
        var added = new List<EdgeChange>();
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var results = new PostgresBatchResults(reader);
            var locked = await results.NextAsync(cancellationToken);
            await locked.ReadAsync(cancellationToken);
            storedLastModified = locked.GetFieldValue<DateTimeOffset>(1);
            var changes = await results.NextAsync(cancellationToken);
            while (await changes.ReadAsync(cancellationToken))
            {
                if (changes.IsDBNull(0))
                {
                    continue;
                }

                var edge = new EdgeChange(commit.Id, changes.GetString(1), (ResourceKind)changes.GetInt32(2));
                (changes.GetInt32(0) == 0 ? removed : added).Add(edge);
            }
        }
        catch (PostgresException error) when (PostgresErrors.IsStaleRow(error))
        {
            // The batch stopped inside its transaction: end it, so the general path can start its own.
            await using var rollback = new NpgsqlCommand("ROLLBACK;", connection);
            await rollback.ExecuteNonQueryAsync(cancellationToken);
            return null;
        }

        removed.Sort(EdgeRows.ByMemberId);
        added.Sort(EdgeRows.ByMemberId);
        if (!commit.RowChanged && removed.Count == 0 && added.Count == 0)
        {
            // Nothing changed, so nothing was written (the lock ends with the transaction): the general path's no-op.
            return new CommitResult(false, commit.ExpectedVersion, storedLastModified, [], []);
        }

        return new CommitResult(true, row.Version, at, []).WithMembership(removed, added);
    }

    /// <summary>
    /// The edge statement: removes, adds (only if every member to add exists), one event per changed edge, the group's
    /// row when anything changed; returns the changed edges as (step 0 = removed / 1 = added, member id, member kind),
    /// or a single row of nulls when none changed. An incomplete add raises instead.
    /// </summary>
    private static NpgsqlBatchCommand EditCommand(ResourceCommit commit, string[] toAdd, string[] toRemove, DateTimeOffset at)
    {
        var ctes = new List<string>();
        var changed = new List<string>();
        if (toRemove.Length > 0)
        {
            ctes.Add($"removed AS ({PostgresEditStatements.RemoveSql("@id", "@remove")})");
            changed.Add("SELECT 0 AS step, member_id, member_kind FROM removed");
        }

        if (toAdd.Length > 0)
        {
            ctes.Add(PostgresEditStatements.AddCtes("@id", "@add"));
            changed.Add("SELECT 1 AS step, member_id, member_kind FROM added");
        }

        ctes.Add($"changes AS ({string.Join(" UNION ALL ", changed)})");
        ctes.Add("logged AS (INSERT INTO events (tenant_id, type, resource_kind, resource_id, occurred_at, data) " +
                 "SELECT @tenant, CASE WHEN c.step = 0 THEN (CASE WHEN c.member_kind = @userKind THEN @userRemoved ELSE @groupRemoved END) " +
                 "ELSE (CASE WHEN c.member_kind = @userKind THEN @userAdded ELSE @groupAdded END) END, " +
                 $"{KindLiterals.Group}, @id, @at, @dataHead || to_json(c.member_id)::text || " +
                 "CASE WHEN c.member_kind = @userKind THEN @userTail ELSE @groupTail END " +
                 "FROM changes AS c ORDER BY c.step, c.member_id)");
        ctes.Add($"updated AS ({PostgresCommitSession.UpdateColumns} " +
                 "WHERE tenant_id = @tenant AND kind = @kind AND id = @id AND version = @expected AND (@rowChanged OR EXISTS (SELECT 1 FROM changes)))");

        // Driven by a one-row guard, so the completeness check runs even when nothing changed.
        var guard = toAdd.Length > 0 ? "scim_require_row((SELECT COUNT(*) FROM chosen) = @wanted)" : "TRUE";
        var command = new NpgsqlBatchCommand(
            $"WITH {string.Join(", ", ctes)} " +
            $"SELECT c.step, c.member_id, c.member_kind FROM (SELECT {guard} AS complete) AS g LEFT JOIN changes AS c ON TRUE;");

        PostgresCommitSession.BindRow(RowWrite.Update(commit.Row!, null, commit.ExpectedVersion), command);
        var parameters = command.Parameters;
        parameters.AddValue("at", PostgresValues.Time(at));
        parameters.AddValue("rowChanged", (bool?)commit.RowChanged);
        parameters.AddValue("userKind", (int)ResourceKind.User);
        parameters.AddValue("userAdded", MembershipEvents.UserAdded);
        parameters.AddValue("groupAdded", MembershipEvents.GroupAdded);
        parameters.AddValue("userRemoved", MembershipEvents.UserRemoved);
        parameters.AddValue("groupRemoved", MembershipEvents.GroupRemoved);
        parameters.AddValue("dataHead", MembershipEvents.DataBeforeMember(commit.Id));
        parameters.AddValue("userTail", MembershipEvents.DataAfterMember(ResourceKind.User));
        parameters.AddValue("groupTail", MembershipEvents.DataAfterMember(ResourceKind.Group));
        if (toRemove.Length > 0)
        {
            parameters.AddValue("remove", toRemove);
        }

        if (toAdd.Length > 0)
        {
            parameters.AddValue("add", toAdd);
            parameters.AddValue("wanted", (long)toAdd.Length);
        }

        return command;
    }
}
