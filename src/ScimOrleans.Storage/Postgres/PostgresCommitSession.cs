using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// The statements of one <see cref="ResourceCommit"/> in its READ COMMITTED transaction. Statements whose results
/// the committer decides on run at once; the final writes (row, group bumps, events) go out together as one batch.
/// </summary>
internal sealed class PostgresCommitSession(PostgresWriteContext context) : ICommitSession
{
    private const string InsertRow =
        "INSERT INTO resources (tenant_id, kind, id, version, json_text, created, last_modified, user_name, user_name_key, external_id, " +
        "display_name, display_name_key, active, work_email, work_email_key, password_hash) VALUES (@tenant, @kind, @id, @version, @json, " +
        "@created, @modified, @userName, @userNameKey, @externalId, @displayName, @displayNameKey, @active, @workEmail, @workEmailKey, @password);";

    private const string UpdateRow =
        "UPDATE resources SET version = @version, json_text = @json, last_modified = @modified, user_name = @userName, " +
        "user_name_key = @userNameKey, external_id = @externalId, display_name = @displayName, display_name_key = @displayNameKey, " +
        "active = @active, work_email = @workEmail, work_email_key = @workEmailKey, password_hash = @password " +
        "WHERE tenant_id = @tenant AND kind = @kind AND id = @id AND version = @expected;";

    /// <summary>
    /// Locks the row (<c>FOR NO KEY UPDATE</c>: it does not block edges being added that name it), so no other silo
    /// can change it until the commit ends.
    /// </summary>
    public async Task<StoredVersion?> LockCurrentAsync(string tenantId, ResourceKind kind, string id, CancellationToken cancellationToken)
    {
        await using var select = context.Command(
            "SELECT version, last_modified, password_hash FROM resources WHERE tenant_id = @tenant AND kind = @kind AND id = @id " +
            "FOR NO KEY UPDATE;");
        select.Parameters.AddValue("tenant", tenantId);
        select.Parameters.AddValue("kind", (int)kind);
        select.Parameters.AddValue("id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredVersion(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), PostgresRowReader.NullableString(reader, 2))
            : null;
    }

    /// <remarks>
    /// If another silo changed the row meanwhile, READ COMMITTED re-checks the version condition on the newest row
    /// version after waiting for its lock, and nothing is deleted.
    /// </remarks>
    public async Task<bool> DeleteRowAsync(string tenantId, ResourceKind kind, string id, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var delete = context.Command(
            "DELETE FROM resources WHERE tenant_id = @tenant AND kind = @kind AND id = @id AND version = @expected;");
        delete.Parameters.AddValue("tenant", tenantId);
        delete.Parameters.AddValue("kind", (int)kind);
        delete.Parameters.AddValue("id", id);
        delete.Parameters.AddValue("expected", expectedVersion);
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public Task<(IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added)> ApplyMembershipAsync(
        string tenantId, string groupId, MembershipEdit edit, CancellationToken cancellationToken) =>
        PostgresMembershipEditor.ApplyAsync(context, tenantId, groupId, edit, cancellationToken);

    public Task<IReadOnlyList<EdgeChange>> RemoveFromAllGroupsAsync(string tenantId, string memberId, ResourceKind memberKind, CancellationToken cancellationToken) =>
        PostgresMembershipEditor.RemoveFromAllGroupsAsync(context, tenantId, memberId, memberKind, cancellationToken);

    public Task DeleteGroupEdgesAsync(string tenantId, string groupId, CancellationToken cancellationToken) =>
        PostgresMembershipEditor.DeleteGroupEdgesAsync(context, tenantId, groupId, cancellationToken);

    /// <summary>One batch, one round trip (none when there is nothing to write).</summary>
    public async Task<bool> WriteAsync(CommitWrites writes, CancellationToken cancellationToken)
    {
        await using var batch = context.Batch();
        var row = writes.Row is { } write ? RowCommand(write) : null;
        AddIfAny(batch, row);
        AddIfAny(batch, PostgresMembershipEditor.BumpGroups(writes.TenantId, writes.BumpedGroups, writes.At));
        var events = new PostgresEventAppender(writes.TenantId, writes.At);
        events.Append(writes.Events);
        AddIfAny(batch, events.ToCommand());
        if (batch.BatchCommands.Count == 0)
        {
            return true;
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException error) when (writes.Row is { } written && PostgresErrors.Translate(error, written.Row) is { } translated)
        {
            throw translated;
        }

        return row is null || row.RecordsAffected > 0;
    }

    /// <summary>The statement inserting <paramref name="row"/>, as a create writes it.</summary>
    public static NpgsqlBatchCommand InsertCommand(ResourceRow row, string? passwordHash) => RowCommand(RowWrite.Insert(row, passwordHash));

    private static NpgsqlBatchCommand RowCommand(RowWrite write)
    {
        var command = new NpgsqlBatchCommand(write.ExpectedVersion is null ? InsertRow : UpdateRow);
        var parameters = command.Parameters;
        var row = write.Row;
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
        parameters.AddValue("password", write.PasswordHash);
        if (write.ExpectedVersion is { } expected)
        {
            parameters.AddValue("expected", expected);
        }

        return command;
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
