using System.Data;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Applies one <see cref="ResourceCommit"/> as one READ COMMITTED transaction: the row, its edges and its events, all
/// or nothing. Rows are guarded by their version (checked under a row lock, or in the <c>DELETE</c>'s own
/// <c>WHERE</c>), uniqueness by the database's unique indexes; nothing tenant-wide is locked, so commits of different
/// resources from any number of silos run in parallel.
/// </summary>
/// <remarks>
/// Round trips are kept low because bulk provisioning is a stream of commits: statements whose results decide
/// nothing further (the row write, group bumps, the events) go out together as one batch. A create without members
/// is a single batch outside any explicit transaction, which PostgreSQL runs as one implicit transaction: one round
/// trip, and a failing statement still rolls back the others.
/// </remarks>
internal sealed class PostgresCommitter(NpgsqlDataSource dataSource, int maxAttempts, ILogger logger)
{
    /// <summary>Creates per optimistic batch: big enough to amortise the round trip, small enough to replay cheaply.</summary>
    private const int MaxCreateBatch = 250;

    private const string InsertRow =
        "INSERT INTO resources (tenant_id, kind, id, version, json_text, created, last_modified, user_name, user_name_key, external_id, " +
        "display_name, display_name_key, active, work_email, work_email_key, password_hash) VALUES (@tenant, @kind, @id, @version, @json, " +
        "@created, @modified, @userName, @userNameKey, @externalId, @displayName, @displayNameKey, @active, @workEmail, @workEmailKey, @password);";

    private const string UpdateRow =
        "UPDATE resources SET version = @version, json_text = @json, last_modified = @modified, user_name = @userName, " +
        "user_name_key = @userNameKey, external_id = @externalId, display_name = @displayName, display_name_key = @displayNameKey, " +
        "active = @active, work_email = @workEmail, work_email_key = @workEmailKey, password_hash = @password " +
        "WHERE tenant_id = @tenant AND kind = @kind AND id = @id AND version = @expected;";

    public async Task<CommitResult> CommitAsync(ResourceCommit commit, CancellationToken cancellationToken)
    {
        // The rules are the contract's, not an engine's: one implementation serves both stores.
        CommitRules.Validate(commit);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return commit.Action == CommitAction.Create && commit.Membership is null or { IsEmpty: true }
                    ? await CreateWithoutMembersAsync(commit, cancellationToken)
                    : await CommitInTransactionAsync(commit, cancellationToken);
            }
            catch (PostgresException error) when (PostgresErrors.IsRetryable(error) && attempt < maxAttempts)
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation(
                        "Commit of {Kind} {Id} in tenant {Tenant} was aborted by PostgreSQL ({SqlState}) and is retried (attempt {Attempt})",
                        commit.Kind, commit.Id, commit.TenantId, error.SqlState, attempt + 1);
                }

                // The victim wrote nothing. A short random pause lets the winner finish before the retry.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// <see cref="IScimStore.CreateManyAsync"/>: runs of consecutive creates without members are written optimistically,
    /// up to <see cref="MaxCreateBatch"/> at a time, as one batch in one implicit transaction (one round trip). Should
    /// one of them fail (a taken userName, say), that transaction wrote nothing and the run is replayed one create at a
    /// time, so each create gets exactly the outcome <see cref="CommitAsync"/> gives it, in list order. Creates with
    /// members take the single path: they lock the members they name.
    /// </summary>
    public async Task<IReadOnlyList<CommitOutcome>> CreateManyAsync(IReadOnlyList<ResourceCommit> creates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(creates);
        foreach (var create in creates)
        {
            CommitRules.ValidateCreate(create);
        }

        var outcomes = new CommitOutcome[creates.Count];
        var start = 0;
        while (start < creates.Count)
        {
            if (creates[start].Membership is { IsEmpty: false })
            {
                outcomes[start] = await CommitOneAsync(creates[start], cancellationToken);
                start++;
                continue;
            }

            var end = start;
            while (end < creates.Count && end - start < MaxCreateBatch && creates[end].Membership is null or { IsEmpty: true })
            {
                end++;
            }

            var run = creates.Skip(start).Take(end - start).ToList();
            if (await TryCreateTogetherAsync(run, cancellationToken) is { } written)
            {
                written.CopyTo(outcomes, start);
            }
            else
            {
                for (var i = start; i < end; i++)
                {
                    outcomes[i] = await CommitOneAsync(creates[i], cancellationToken);
                }
            }

            start = end;
        }

        return outcomes;
    }

    /// <summary>Writes every create of <paramref name="run"/> in one implicit transaction, or nothing (null) if any fails.</summary>
    private async Task<CommitOutcome[]?> TryCreateTogetherAsync(List<ResourceCommit> run, CancellationToken cancellationToken)
    {
        var events = new PostgresEventAppender(run[0].TenantId, run[0].Row!.LastModified);
        await using var batch = dataSource.CreateBatch();
        foreach (var create in run)
        {
            var insert = new NpgsqlBatchCommand(InsertRow);
            BindRow(insert.Parameters, create.Row!);
            insert.Parameters.AddValue("password", create.PasswordHash);
            batch.BatchCommands.Add(insert);
            events.Append(create.Events, create.Row!.LastModified);
        }

        AddIfAny(batch, events.ToCommand());
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException)
        {
            // A taken name or id, a value PostgreSQL cannot store, a deadlock: the single path sorts out which.
            return null;
        }
        catch (NpgsqlException error)
        {
            // The server could not be reached or the connection broke: these creates fail as a single commit would.
            return [.. run.Select(_ => CommitOutcome.Failed(error))];
        }

        return run.Select(create => CommitOutcome.Succeeded(new CommitResult(true, create.Row!.Version, StoreTime.Truncate(create.Row.LastModified), []))).ToArray();
    }

    private async Task<CommitOutcome> CommitOneAsync(ResourceCommit create, CancellationToken cancellationToken)
    {
        try
        {
            return CommitOutcome.Succeeded(await CommitAsync(create, cancellationToken));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Reported for this create alone: the creates before it are written and must be reported as such.
            return CommitOutcome.Failed(error);
        }
    }

    private async Task<CommitResult> CreateWithoutMembersAsync(ResourceCommit commit, CancellationToken cancellationToken)
    {
        var row = commit.Row!;
        var at = StoreTime.Truncate(row.LastModified);
        var insert = new NpgsqlBatchCommand(InsertRow);
        BindRow(insert.Parameters, row);
        insert.Parameters.AddValue("password", commit.PasswordHash);
        var events = new PostgresEventAppender(commit.TenantId, at);
        events.Append(commit.Events);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(insert);
        AddIfAny(batch, events.ToCommand());
        await ExecuteWithRowAsync(batch, row, cancellationToken);
        return new CommitResult(true, row.Version, at, []);
    }

    private async Task<CommitResult> CommitInTransactionAsync(ResourceCommit commit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var context = new PostgresWriteContext(connection, transaction);
        var (result, keep) = commit.Action switch
        {
            CommitAction.Create => await CreateAsync(context, commit, cancellationToken),
            CommitAction.Update => await UpdateAsync(context, commit, cancellationToken),
            CommitAction.Delete => await DeleteAsync(context, commit, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(commit), commit.Action, "Unknown commit action."),
        };

        if (keep)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
        }

        return result;
    }

    private static async Task<(CommitResult, bool Keep)> CreateAsync(PostgresWriteContext context, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var row = commit.Row!;
        var at = StoreTime.Truncate(row.LastModified);

        // The row goes first: a taken id or name fails the commit before any member is locked.
        await using (var insert = context.Command(InsertRow))
        {
            BindRow(insert.Parameters, row);
            insert.Parameters.AddValue("password", commit.PasswordHash);
            await ExecuteWithRowAsync(insert, row, cancellationToken);
        }

        var events = new PostgresEventAppender(commit.TenantId, at);
        events.Append(commit.Events);
        var (removed, added) = await PostgresMembershipEditor.ApplyAsync(context, commit.TenantId, commit.Id, commit.Membership!, cancellationToken);
        events.AppendEdges(removed, added);

        await using var batch = context.Batch();
        AddIfAny(batch, events.ToCommand());
        await ExecuteIfAnyAsync(batch, cancellationToken);
        return (new CommitResult(true, row.Version, at, []), true);
    }

    private static async Task<(CommitResult, bool Keep)> UpdateAsync(PostgresWriteContext context, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var row = commit.Row!;
        var at = StoreTime.Truncate(row.LastModified);

        // Locks the row first: a stale writer learns it even when its change turns out to be a no-op, no edge
        // statement runs for a commit that is going to fail, and no other silo can change the row until we commit.
        var (storedModified, storedPassword) = await LockCurrentAsync(context, commit, cancellationToken);

        IReadOnlyList<EdgeChange> removed = [];
        IReadOnlyList<EdgeChange> added = [];
        if (commit.Membership is { IsEmpty: false } edit)
        {
            (removed, added) = await PostgresMembershipEditor.ApplyAsync(context, commit.TenantId, commit.Id, edit, cancellationToken);
        }

        IReadOnlyList<EdgeChange> dropped = [];
        if (commit.RemoveFromAllGroups)
        {
            dropped = await PostgresMembershipEditor.RemoveFromAllGroupsAsync(context, commit.TenantId, commit.Id, commit.Kind, cancellationToken);
        }

        var password = commit.PasswordHash ?? (commit.ClearPassword ? null : storedPassword);
        var passwordChanged = !string.Equals(password, storedPassword, StringComparison.Ordinal);
        var edgesChanged = removed.Count > 0 || added.Count > 0 || dropped.Count > 0;
        if (!commit.RowChanged && !edgesChanged && !passwordChanged)
        {
            // Rolled back: edges cleared and re-added by the edit are restored exactly as they were.
            return (new CommitResult(false, commit.ExpectedVersion, storedModified, []), false);
        }

        var update = new NpgsqlBatchCommand(UpdateRow);
        BindRow(update.Parameters, row);
        update.Parameters.AddValue("password", password);
        update.Parameters.AddValue("expected", commit.ExpectedVersion);

        var touched = GroupsOf(dropped);
        var events = new PostgresEventAppender(commit.TenantId, at);
        if (commit.RowChanged)
        {
            events.Append(commit.Events);
        }

        events.AppendEdges(removed, added);
        events.AppendEdges(dropped, []);

        await using var batch = context.Batch();
        batch.BatchCommands.Add(update);
        AddIfAny(batch, PostgresMembershipEditor.BumpGroups(commit.TenantId, touched, at));
        AddIfAny(batch, events.ToCommand());
        await ExecuteWithRowAsync(batch, row, cancellationToken);
        if (update.RecordsAffected == 0)
        {
            // Cannot happen while LockCurrentAsync's lock is held; kept as the guard the contract promises.
            throw new StoreConcurrencyException($"{commit.Kind} '{commit.Id}' is not at version {commit.ExpectedVersion}.");
        }

        return (new CommitResult(true, row.Version, at, touched), true);
    }

    private static async Task<(CommitResult, bool Keep)> DeleteAsync(PostgresWriteContext context, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var at = StoreTime.Truncate(commit.Row?.LastModified ?? DateTimeOffset.UtcNow);

        // The version test is part of the DELETE: if another silo changed the row meanwhile, READ COMMITTED re-checks
        // the condition on the newest version after waiting for its lock, and nothing is deleted.
        await using (var delete = context.Command(
            "DELETE FROM resources WHERE tenant_id = @tenant AND kind = @kind AND id = @id AND version = @expected;"))
        {
            delete.Parameters.AddValue("tenant", commit.TenantId);
            delete.Parameters.AddValue("kind", (int)commit.Kind);
            delete.Parameters.AddValue("id", commit.Id);
            delete.Parameters.AddValue("expected", commit.ExpectedVersion);
            if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                // Throws NotFound or a version mismatch.
                await LockCurrentAsync(context, commit, cancellationToken);
                throw new StoreConcurrencyException($"{commit.Kind} '{commit.Id}' could not be deleted.");
            }
        }

        if (commit.Kind == ResourceKind.Group)
        {
            // The group's own edges go with it; its group.deleted event covers them.
            await PostgresMembershipEditor.DeleteGroupEdgesAsync(context, commit.TenantId, commit.Id, cancellationToken);
        }

        var dropped = await PostgresMembershipEditor.RemoveFromAllGroupsAsync(context, commit.TenantId, commit.Id, commit.Kind, cancellationToken);
        var touched = GroupsOf(dropped);
        var events = new PostgresEventAppender(commit.TenantId, at);
        events.Append(commit.Events);
        events.AppendEdges(dropped, []);

        await using var batch = context.Batch();
        AddIfAny(batch, PostgresMembershipEditor.BumpGroups(commit.TenantId, touched, at));
        AddIfAny(batch, events.ToCommand());
        await ExecuteIfAnyAsync(batch, cancellationToken);
        return (new CommitResult(true, commit.ExpectedVersion, at, touched), true);
    }

    /// <summary>
    /// Locks the row (<c>FOR NO KEY UPDATE</c>: it does not block edges being added that name it) and returns its
    /// lastModified and password hash; 404 when the row is missing, a concurrency failure on a version mismatch.
    /// </summary>
    private static async Task<(DateTimeOffset LastModified, string? Password)> LockCurrentAsync(
        PostgresWriteContext context, ResourceCommit commit, CancellationToken cancellationToken)
    {
        await using var select = context.Command(
            "SELECT version, last_modified, password_hash FROM resources WHERE tenant_id = @tenant AND kind = @kind AND id = @id " +
            "FOR NO KEY UPDATE;");
        select.Parameters.AddValue("tenant", commit.TenantId);
        select.Parameters.AddValue("kind", (int)commit.Kind);
        select.Parameters.AddValue("id", commit.Id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw ScimException.NotFound($"{commit.Kind} '{commit.Id}' not found.");
        }

        var version = reader.GetInt64(0);
        if (version != commit.ExpectedVersion)
        {
            throw new StoreConcurrencyException(
                $"{commit.Kind} '{commit.Id}' is at version {version.ToString(CultureInfo.InvariantCulture)}, not {commit.ExpectedVersion.ToString(CultureInfo.InvariantCulture)}.");
        }

        return (reader.GetFieldValue<DateTimeOffset>(1), PostgresRowReader.NullableString(reader, 2));
    }

    private static void BindRow(NpgsqlParameterCollection parameters, ResourceRow row)
    {
        var indexed = row.Indexed;
        var isUser = row.Kind == ResourceKind.User;
        parameters.AddValue("tenant", row.TenantId);
        parameters.AddValue("kind", (int)row.Kind);
        parameters.AddValue("id", row.Id);
        parameters.AddValue("version", row.Version);
        parameters.AddValue("json", row.Json);
        parameters.AddValue("created", PostgresValues.Time(row.Created));
        parameters.AddValue("modified", PostgresValues.Time(row.LastModified));
        parameters.AddValue("userName", isUser ? indexed.UserName : null);
        parameters.AddValue("userNameKey", isUser ? indexed.UserName?.ToLowerInvariant() : null);
        parameters.AddValue("externalId", indexed.ExternalId);
        parameters.AddValue("displayName", indexed.DisplayName);
        parameters.AddValue("displayNameKey", indexed.DisplayName?.ToLowerInvariant());
        parameters.AddValue("active", indexed.Active);
        parameters.AddValue("workEmail", isUser ? indexed.WorkEmail : null);
        parameters.AddValue("workEmailKey", isUser ? indexed.WorkEmail?.ToLowerInvariant() : null);
    }

    /// <summary>Runs a command or batch that writes <paramref name="row"/>, translating constraint errors into the contract's.</summary>
    private static async Task ExecuteWithRowAsync(NpgsqlCommand command, ResourceRow row, CancellationToken cancellationToken)
    {
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException error) when (PostgresErrors.Translate(error, row) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc cref="ExecuteWithRowAsync(NpgsqlCommand, ResourceRow, CancellationToken)"/>
    private static async Task ExecuteWithRowAsync(NpgsqlBatch batch, ResourceRow row, CancellationToken cancellationToken)
    {
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException error) when (PostgresErrors.Translate(error, row) is { } translated)
        {
            throw translated;
        }
    }

    private static async Task ExecuteIfAnyAsync(NpgsqlBatch batch, CancellationToken cancellationToken)
    {
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static void AddIfAny(NpgsqlBatch batch, NpgsqlBatchCommand? command)
    {
        if (command is not null)
        {
            batch.BatchCommands.Add(command);
        }
    }

    private static List<string> GroupsOf(IReadOnlyList<EdgeChange> edges) =>
        edges.Select(e => e.GroupId).Distinct(StringComparer.Ordinal).ToList();
}
