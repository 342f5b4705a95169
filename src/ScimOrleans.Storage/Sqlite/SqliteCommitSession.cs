using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// The statements of one <see cref="ResourceCommit"/> as a unit of work on the writer transaction, each a cached
/// prepared command run as soon as it is asked for; <see cref="ResourceCommitter"/> decides which run.
/// </summary>
internal sealed class SqliteCommitSession(SqliteWriteContext context) : ICommitSession
{
    private const string InsertRow =
        "INSERT INTO resources (tenant_id, kind, id, version, json, created, last_modified, user_name, user_name_key, external_id, " +
        "display_name, display_name_key, active, work_email, work_email_key, password_hash) VALUES (@tenant, @kind, @id, @version, @json, " +
        "@created, @modified, @userName, @userNameKey, @externalId, @displayName, @displayNameKey, @active, @workEmail, @workEmailKey, @password);";

    private const string UpdateRow =
        "UPDATE resources SET version = @version, json = @json, last_modified = @modified, user_name = @userName, " +
        "user_name_key = @userNameKey, external_id = @externalId, display_name = @displayName, display_name_key = @displayNameKey, " +
        "active = @active, work_email = @workEmail, work_email_key = @workEmailKey, password_hash = @password " +
        "WHERE tenant_id = @tenant AND kind = @kind AND id = @id AND version = @expected;";

    private const string DeleteRow =
        "DELETE FROM resources WHERE tenant_id = @tenant AND kind = @kind AND id = @id AND version = @expected;";

    /// <summary>Applies <paramref name="commit"/> on the writer transaction: all or nothing, a no-op commit declines (Keep: false).</summary>
    public static async Task<UnitOutcome<CommitResult>> ApplyAsync(SqliteWriteContext context, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var (result, keep) = await ResourceCommitter.ApplyAsync(new SqliteCommitSession(context), commit, cancellationToken);
        return new UnitOutcome<CommitResult>(result, keep);
    }

    /// <remarks>A plain read: under the single writer nothing else can change the row before the unit ends.</remarks>
    public async Task<StoredVersion?> LockCurrentAsync(string tenantId, ResourceKind kind, string id, CancellationToken cancellationToken)
    {
        var select = context.Prepared(
            "SELECT version, last_modified, password_hash FROM resources WHERE tenant_id = @tenant AND kind = @kind AND id = @id;");
        select.Parameters.AddWithValue("@tenant", tenantId);
        select.Parameters.AddWithValue("@kind", (int)kind);
        select.Parameters.AddWithValue("@id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredVersion(reader.GetInt64(0), StoreTime.FromUnixMicroseconds(reader.GetInt64(1)), SqliteRowReader.NullableString(reader, 2))
            : null;
    }

    /// <remarks>One statement after another: each is an in-process call, and edges are touched only when the row is at its version.</remarks>
    public async Task<UpdateStart> StartUpdateAsync(
        string tenantId, ResourceKind kind, string id, long expectedVersion, MembershipEdit? edit, bool removeFromAllGroups,
        CancellationToken cancellationToken)
    {
        var stored = await LockCurrentAsync(tenantId, kind, id, cancellationToken);
        if (stored?.Version != expectedVersion)
        {
            return UpdateStart.Only(stored);
        }

        var (removed, added) = edit is { IsEmpty: false }
            ? await ApplyMembershipAsync(tenantId, id, edit, cancellationToken)
            : ([], []);
        var dropped = removeFromAllGroups ? await RemoveFromAllGroupsAsync(tenantId, id, kind, cancellationToken) : [];
        return new UpdateStart(stored, removed, added, dropped);
    }

    public async Task<bool> DeleteRowAsync(string tenantId, ResourceKind kind, string id, long expectedVersion, CancellationToken cancellationToken)
    {
        var delete = context.Prepared(DeleteRow);
        delete.Parameters.AddWithValue("@tenant", tenantId);
        delete.Parameters.AddWithValue("@kind", (int)kind);
        delete.Parameters.AddWithValue("@id", id);
        delete.Parameters.AddWithValue("@expected", expectedVersion);
        return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public Task<(IReadOnlyList<EdgeChange> Removed, IReadOnlyList<EdgeChange> Added)> ApplyMembershipAsync(
        string tenantId, string groupId, MembershipEdit edit, CancellationToken cancellationToken) =>
        SqliteMembershipEditor.ApplyAsync(context, tenantId, groupId, edit, cancellationToken);

    public Task<IReadOnlyList<EdgeChange>> RemoveFromAllGroupsAsync(string tenantId, string memberId, ResourceKind memberKind, CancellationToken cancellationToken) =>
        SqliteMembershipEditor.RemoveFromAllGroupsAsync(context, tenantId, memberId, memberKind, cancellationToken);

    public Task DeleteGroupEdgesAsync(string tenantId, string groupId, CancellationToken cancellationToken) =>
        SqliteMembershipEditor.DeleteGroupEdgesAsync(context, tenantId, groupId, cancellationToken);

    public async Task<bool> WriteAsync(CommitWrites writes, CancellationToken cancellationToken)
    {
        if (writes.Row is { } write)
        {
            var statement = context.Bound(write.ExpectedVersion is null ? InsertRow : UpdateRow);
            write.BindTo(new RowParameters(statement));
            if (ExecuteRowWrite(statement, write.Row) == 0)
            {
                return false;
            }
        }

        await SqliteMembershipEditor.BumpGroupsAsync(context, writes.TenantId, writes.BumpedGroups, writes.At, cancellationToken);
        if (writes.Events.Count > 0)
        {
            var events = new SqliteEventAppender(context, writes.TenantId, writes.At);
            await events.AppendAsync(writes.Events, cancellationToken);
        }

        return true;
    }

    /// <summary>A row's values as SQLite stores them: times as Unix microseconds, flags as 0/1.</summary>
    private readonly struct RowParameters(SqliteBoundStatement statement) : IRowParameters
    {
        public void Text(string name, string? value) => statement.Bind(name, value);

        public void Number(string name, long value) => statement.Bind(name, value);

        public void Kind(string name, ResourceKind kind) => statement.Bind(name, (long)kind);

        public void Time(string name, DateTimeOffset value) => statement.Bind(name, StoreTime.ToUnixMicroseconds(value));

        public void Flag(string name, bool? value) => statement.Bind(name, value is { } flag ? (flag ? 1 : 0) : null);
    }

    private static int ExecuteRowWrite(SqliteBoundStatement statement, ResourceRow row)
    {
        try
        {
            return statement.Execute();
        }
        catch (SqliteException error) when (SqliteConstraintErrors.Translate(error, row) is { } translated)
        {
            throw translated;
        }
    }
}
