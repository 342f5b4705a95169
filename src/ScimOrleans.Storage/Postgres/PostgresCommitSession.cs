using Npgsql;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// The statements of one <see cref="ResourceCommit"/> in its READ COMMITTED transaction. Statements whose results
/// the committer decides on run at once; the final writes (row, group bumps, events) go out together as one batch,
/// with the transaction's COMMIT. An update is two round trips: its row lock and edge statements (with the BEGIN Npgsql
/// sends ahead of them), then its writes and COMMIT.
/// </summary>
internal sealed class PostgresCommitSession(PostgresWriteContext context) : ICommitSession
{
    private const string InsertRow =
        "INSERT INTO resources (tenant_id, kind, id, version, json_text, created, last_modified, user_name, user_name_key, external_id, " +
        "display_name, display_name_key, active, work_email, work_email_key, password_hash) VALUES (@tenant, @kind, @id, @version, @json, " +
        "@created, @modified, @userName, @userNameKey, @externalId, @displayName, @displayNameKey, @active, @workEmail, @workEmailKey, @password);";

    /// <summary>The update of a row's columns from a <see cref="RowWrite"/>'s parameters, password hash excepted (no <c>WHERE</c>).</summary>
    public const string UpdateColumns =
        "UPDATE resources SET version = @version, json_text = @json, last_modified = @modified, user_name = @userName, " +
        "user_name_key = @userNameKey, external_id = @externalId, display_name = @displayName, display_name_key = @displayNameKey, " +
        "active = @active, work_email = @workEmail, work_email_key = @workEmailKey";

    private const string UpdateWhere = " WHERE tenant_id = @tenant AND kind = @kind AND id = @id AND version = @expected";

    private const string UpdateRow = UpdateColumns + ", password_hash = @password" + UpdateWhere + ";";

    /// <summary>
    /// The row update of an update's last batch, which carries the COMMIT: it fails the transaction (40001, retried by
    /// the committer) instead of updating nothing, so the writes batched with it cannot commit without it.
    /// </summary>
    private static readonly string GuardedUpdateRow = Guarded(UpdateRow);

    /// <summary><see cref="GuardedUpdateRow"/> leaving the stored password hash as it is (no need to read it first).</summary>
    private static readonly string GuardedUpdateRowKeepingPassword = Guarded(UpdateColumns + UpdateWhere + ";");

    private static readonly string GroupHasNoBumps = " AND " + PostgresGroupBumps.NoneWaiting("resources");

    private static readonly string GuardedGroupUpdateRow = Guarded(UpdateColumns + ", password_hash = @password" + UpdateWhere + GroupHasNoBumps + ";");

    private static readonly string GuardedGroupUpdateRowKeepingPassword = Guarded(UpdateColumns + UpdateWhere + GroupHasNoBumps + ";");

    private static string Guarded(string update) =>
        $"WITH updated AS ({update.TrimEnd(';')} RETURNING 1) SELECT scim_require_row(EXISTS (SELECT 1 FROM updated));";

    /// <summary>
    /// Locks the row (<c>FOR NO KEY UPDATE</c>: it does not block edges being added that name it), so no other silo
    /// can change it until the commit ends.
    /// </summary>
    public async Task<StoredVersion?> LockCurrentAsync(string tenantId, ResourceKind kind, string id, CancellationToken cancellationToken)
    {
        await using var batch = context.Batch();
        AddLock(batch, tenantId, kind, id);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadStoredAsync(await new PostgresBatchResults(reader).NextAsync(cancellationToken), cancellationToken);
    }

    /// <summary>
    /// One round trip: the row lock, then the edit's statements and the removal from every group, whatever the lock
    /// finds (if the row is missing or at another version the committer fails the commit, and their work is rolled back).
    /// </summary>
    public async Task<UpdateStart> StartUpdateAsync(
        string tenantId, ResourceKind kind, string id, long expectedVersion, MembershipEdit? edit, bool removeFromAllGroups,
        CancellationToken cancellationToken)
    {
        await using var batch = context.Batch();
        AddLock(batch, tenantId, kind, id);
        var statements = edit is { IsEmpty: false } ? PostgresEditStatements.AddTo(batch, tenantId, id, edit) : null;
        if (removeFromAllGroups)
        {
            batch.BatchCommands.Add(PostgresMembershipEditor.RemoveFromAllGroupsCommand(tenantId, id, kind));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var results = new PostgresBatchResults(reader);
        var stored = await ReadStoredAsync(await results.NextAsync(cancellationToken), cancellationToken);
        var edited = statements is null ? null : await statements.ReadAsync(results, cancellationToken);
        var dropped = removeFromAllGroups
            ? await EdgeRows.ReadGroupsAsync(await results.NextAsync(cancellationToken), id, kind, cancellationToken)
            : [];
        if (stored?.Version != expectedVersion)
        {
            return UpdateStart.Only(stored);
        }

        if (edited?.Refusal is { } refusal)
        {
            throw refusal;
        }

        return new UpdateStart(stored, edited?.Removed ?? [], edited?.Added ?? [], dropped);
    }

    /// <summary>
    /// The row lock, and for a group first the folding of its bumps into its row (<see cref="PostgresGroupBumps"/>), so
    /// the version the lock reads is the group's effective version.
    /// </summary>
    private static void AddLock(NpgsqlBatch batch, string tenantId, ResourceKind kind, string id)
    {
        if (kind == ResourceKind.Group)
        {
            batch.BatchCommands.Add(PostgresGroupBumps.FoldCommand(tenantId, id));
        }

        batch.BatchCommands.Add(LockCommand(tenantId, kind, id));
    }

    private static NpgsqlBatchCommand LockCommand(string tenantId, ResourceKind kind, string id)
    {
        var select = new NpgsqlBatchCommand(
            "SELECT version, last_modified, password_hash FROM resources WHERE tenant_id = @tenant AND kind = @kind AND id = @id " +
            "FOR NO KEY UPDATE;");
        select.Parameters.AddValue("tenant", tenantId);
        select.Parameters.AddValue("kind", (int)kind);
        select.Parameters.AddValue("id", id);
        return select;
    }

    private static async Task<StoredVersion?> ReadStoredAsync(NpgsqlDataReader reader, CancellationToken cancellationToken) =>
        await reader.ReadAsync(cancellationToken)
            ? new StoredVersion(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), PostgresRowReader.NullableString(reader, 2))
            : null;

    /// <remarks>
    /// If another silo changed the row meanwhile, READ COMMITTED re-checks the version condition on the newest row
    /// version after waiting for its lock, and nothing is deleted.
    /// </remarks>
    public async Task<bool> DeleteRowAsync(string tenantId, ResourceKind kind, string id, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var batch = context.Batch();
        if (kind == ResourceKind.Group)
        {
            // The expected version is the effective one (the row's plus its bumps).
            batch.BatchCommands.Add(PostgresGroupBumps.FoldCommand(tenantId, id));
        }

        var delete = new NpgsqlBatchCommand(
            "DELETE FROM resources WHERE tenant_id = @tenant AND kind = @kind AND id = @id AND version = @expected;");
        delete.Parameters.AddValue("tenant", tenantId);
        delete.Parameters.AddValue("kind", (int)kind);
        delete.Parameters.AddValue("id", id);
        delete.Parameters.AddValue("expected", expectedVersion);
        batch.BatchCommands.Add(delete);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return delete.RecordsAffected > 0;
    }

    public Task<(IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added)> ApplyMembershipAsync(
        string tenantId, string groupId, MembershipEdit edit, CancellationToken cancellationToken) =>
        PostgresMembershipEditor.ApplyAsync(context, tenantId, groupId, edit, cancellationToken);

    public Task<IReadOnlyList<EdgeChange>> RemoveFromAllGroupsAsync(string tenantId, string memberId, ResourceKind memberKind, CancellationToken cancellationToken) =>
        PostgresMembershipEditor.RemoveFromAllGroupsAsync(context, tenantId, memberId, memberKind, cancellationToken);

    public Task DeleteGroupEdgesAsync(string tenantId, string groupId, CancellationToken cancellationToken) =>
        PostgresMembershipEditor.DeleteGroupEdgesAsync(context, tenantId, groupId, cancellationToken);

    /// <summary>
    /// One batch, one round trip (none when there is nothing to write). The commit's last writes in an explicit
    /// transaction carry its COMMIT, and an update among them fails the transaction rather than find no row.
    /// </summary>
    public async Task<bool> WriteAsync(CommitWrites writes, CancellationToken cancellationToken)
    {
        var endsTransaction = writes.EndsCommit && context.Transaction is not null;
        var row = writes.Row is { } write ? RowCommand(write, guarded: endsTransaction) : null;
        var events = new PostgresEventAppender(writes.TenantId, writes.At);
        events.Append(writes.Events);
        NpgsqlBatchCommand?[] writesToSend = [row, PostgresGroupBumps.BumpCommand(writes.TenantId, writes.BumpedGroups, writes.At), events.ToCommand()];
        if (writesToSend.All(command => command is null) && !endsTransaction)
        {
            return true;
        }

        await using var batch = context.Batch();
        foreach (var command in writesToSend)
        {
            AddIfAny(batch, command);
        }

        if (endsTransaction)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT;"));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException error) when (writes.Row is { } written && PostgresErrors.Translate(error, written.Row) is { } translated)
        {
            throw translated;
        }

        context.Committed = endsTransaction;

        // A guarded update reports a missing row by failing; its statement is a SELECT, which counts no rows affected.
        return row is null || endsTransaction || row.RecordsAffected > 0;
    }

    /// <summary>The statement inserting <paramref name="row"/>, as a create writes it.</summary>
    public static NpgsqlBatchCommand InsertCommand(ResourceRow row, string? passwordHash) => RowCommand(RowWrite.Insert(row, passwordHash), guarded: false);

    /// <summary>
    /// The guarded update of <paramref name="write"/> (see <see cref="GuardedUpdateRow"/>) for a commit that did not
    /// lock and read the row first: with <paramref name="keepPassword"/> the stored password hash is left untouched
    /// instead of being set, and a group must have no bumps waiting to be folded (its row's version alone would not be
    /// its effective version).
    /// </summary>
    public static NpgsqlBatchCommand GuardedUnreadUpdateCommand(RowWrite write, bool keepPassword)
    {
        var isGroup = write.Row.Kind == ResourceKind.Group;
        var command = new NpgsqlBatchCommand((keepPassword, isGroup) switch
        {
            (false, false) => GuardedUpdateRow,
            (true, false) => GuardedUpdateRowKeepingPassword,
            (false, true) => GuardedGroupUpdateRow,
            (true, true) => GuardedGroupUpdateRowKeepingPassword,
        });
        write.BindTo(new RowParameters(command.Parameters));
        return command;
    }

    private static NpgsqlBatchCommand RowCommand(RowWrite write, bool guarded)
    {
        var command = new NpgsqlBatchCommand(write.ExpectedVersion is null ? InsertRow : guarded ? GuardedUpdateRow : UpdateRow);
        write.BindTo(new RowParameters(command.Parameters));
        return command;
    }

    /// <summary>Adds <paramref name="write"/>'s parameters to <paramref name="command"/> (see <see cref="RowWrite.BindTo"/>).</summary>
    public static void BindRow(RowWrite write, NpgsqlBatchCommand command) => write.BindTo(new RowParameters(command.Parameters));

    /// <summary>A row's values as typed Npgsql parameters (typed nulls: see <see cref="PostgresValues"/>).</summary>
    private readonly struct RowParameters(NpgsqlParameterCollection parameters) : IRowParameters
    {
        public void Text(string name, string? value) => parameters.AddValue(name, value);

        public void Number(string name, long value) => parameters.AddValue(name, value);

        public void Kind(string name, ResourceKind kind) => parameters.AddValue(name, (int)kind);

        public void Time(string name, DateTimeOffset value) => parameters.AddValue(name, PostgresValues.Time(value));

        public void Flag(string name, bool? value) => parameters.AddValue(name, value);
    }

    /// <summary>Adds <paramref name="command"/> unless there is nothing to write (null).</summary>
    public static void AddIfAny(NpgsqlBatch batch, NpgsqlBatchCommand? command)
    {
        if (command is not null)
        {
            batch.BatchCommands.Add(command);
        }
    }
}
