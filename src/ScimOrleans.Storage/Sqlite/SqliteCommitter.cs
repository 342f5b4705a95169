using System.Globalization;
using Microsoft.Data.Sqlite;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// One <see cref="ResourceCommit"/> as a unit of work on the writer transaction: the row, its edges and its events,
/// all or nothing. Throwing rolls the unit back; returning <c>Keep: false</c> discards a commit that changed nothing.
/// </summary>
internal static class SqliteCommitter
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

    public static Task<UnitOutcome<CommitResult>> ApplyAsync(SqliteWriteContext context, ResourceCommit commit, CancellationToken cancellationToken) =>
        commit.Action switch
        {
            CommitAction.Create => CreateAsync(context, commit, cancellationToken),
            CommitAction.Update => UpdateAsync(context, commit, cancellationToken),
            CommitAction.Delete => DeleteAsync(context, commit, cancellationToken),
            _ => throw new ArgumentOutOfRangeException(nameof(commit), commit.Action, "Unknown commit action."),
        };

    private static async Task<UnitOutcome<CommitResult>> CreateAsync(SqliteWriteContext context, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var row = commit.Row!;
        var at = StoreTime.Truncate(row.LastModified);
        var insert = context.Prepared(InsertRow);
        BindRow(insert, row);
        insert.Parameters.AddWithValue("@password", (object?)commit.PasswordHash ?? DBNull.Value);
        await ExecuteRowWriteAsync(insert, row, cancellationToken);

        IReadOnlyList<EdgeChange> removed = [];
        IReadOnlyList<EdgeChange> added = [];
        if (commit.Membership is { IsEmpty: false } edit)
        {
            (removed, added) = await SqliteMembershipEditor.ApplyAsync(context, commit.TenantId, commit.Id, edit, cancellationToken);
        }

        var events = new SqliteEventAppender(context, commit.TenantId, at);
        await events.AppendAsync(commit.Events, cancellationToken);
        await AppendEdgeEventsAsync(events, removed, added, cancellationToken);
        return new UnitOutcome<CommitResult>(new CommitResult(true, row.Version, at, []), Keep: true);
    }

    private static async Task<UnitOutcome<CommitResult>> UpdateAsync(SqliteWriteContext context, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var row = commit.Row!;
        var at = StoreTime.Truncate(row.LastModified);

        // Checked first, so a stale writer learns it even when its change turns out to be a no-op, and no edge
        // statement runs for a commit that is going to fail.
        var (storedModified, storedPassword) = await ReadCurrentAsync(context, commit, cancellationToken);

        IReadOnlyList<EdgeChange> removed = [];
        IReadOnlyList<EdgeChange> added = [];
        if (commit.Membership is { IsEmpty: false } edit)
        {
            (removed, added) = await SqliteMembershipEditor.ApplyAsync(context, commit.TenantId, commit.Id, edit, cancellationToken);
        }

        IReadOnlyList<EdgeChange> dropped = [];
        if (commit.RemoveFromAllGroups)
        {
            dropped = await SqliteMembershipEditor.RemoveFromAllGroupsAsync(context, commit.TenantId, commit.Id, commit.Kind, cancellationToken);
        }

        var password = commit.PasswordHash ?? (commit.ClearPassword ? null : storedPassword);
        var passwordChanged = !string.Equals(password, storedPassword, StringComparison.Ordinal);
        var edgesChanged = removed.Count > 0 || added.Count > 0 || dropped.Count > 0;
        if (!commit.RowChanged && !edgesChanged && !passwordChanged)
        {
            return new UnitOutcome<CommitResult>(new CommitResult(false, commit.ExpectedVersion, storedModified, []), Keep: false);
        }

        var update = context.Prepared(UpdateRow);
        BindRow(update, row);
        update.Parameters.AddWithValue("@password", (object?)password ?? DBNull.Value);
        update.Parameters.AddWithValue("@expected", commit.ExpectedVersion);
        if (await ExecuteRowWriteAsync(update, row, cancellationToken) == 0)
        {
            // Cannot happen under the single writer after ReadCurrentAsync; kept as the guard the contract promises.
            throw new StoreConcurrencyException($"{commit.Kind} '{commit.Id}' is not at version {commit.ExpectedVersion}.");
        }

        var touched = GroupsOf(dropped);
        await SqliteMembershipEditor.BumpGroupsAsync(context, commit.TenantId, touched, at, cancellationToken);

        var events = new SqliteEventAppender(context, commit.TenantId, at);
        if (commit.RowChanged)
        {
            await events.AppendAsync(commit.Events, cancellationToken);
        }

        await AppendEdgeEventsAsync(events, removed, added, cancellationToken);
        await AppendEdgeEventsAsync(events, dropped, [], cancellationToken);
        return new UnitOutcome<CommitResult>(new CommitResult(true, row.Version, at, touched), Keep: true);
    }

    private static async Task<UnitOutcome<CommitResult>> DeleteAsync(SqliteWriteContext context, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var at = StoreTime.Truncate(commit.Row?.LastModified ?? DateTimeOffset.UtcNow);
        var delete = context.Prepared(DeleteRow);
        delete.Parameters.AddWithValue("@tenant", commit.TenantId);
        delete.Parameters.AddWithValue("@kind", (int)commit.Kind);
        delete.Parameters.AddWithValue("@id", commit.Id);
        delete.Parameters.AddWithValue("@expected", commit.ExpectedVersion);
        if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            // Throws NotFound or a version mismatch.
            await ReadCurrentAsync(context, commit, cancellationToken);
            throw new StoreConcurrencyException($"{commit.Kind} '{commit.Id}' could not be deleted.");
        }

        if (commit.Kind == ResourceKind.Group)
        {
            // The group's own edges go with it; its group.deleted event covers them.
            await SqliteMembershipEditor.DeleteGroupEdgesAsync(context, commit.TenantId, commit.Id, cancellationToken);
        }

        var dropped = await SqliteMembershipEditor.RemoveFromAllGroupsAsync(context, commit.TenantId, commit.Id, commit.Kind, cancellationToken);
        var touched = GroupsOf(dropped);
        await SqliteMembershipEditor.BumpGroupsAsync(context, commit.TenantId, touched, at, cancellationToken);

        var events = new SqliteEventAppender(context, commit.TenantId, at);
        await events.AppendAsync(commit.Events, cancellationToken);
        await AppendEdgeEventsAsync(events, dropped, [], cancellationToken);
        return new UnitOutcome<CommitResult>(new CommitResult(true, commit.ExpectedVersion, at, touched), Keep: true);
    }

    /// <summary>The stored lastModified and password hash; 404 when the row is missing, a concurrency failure on a version mismatch.</summary>
    private static async Task<(DateTimeOffset LastModified, string? Password)> ReadCurrentAsync(
        SqliteWriteContext context, ResourceCommit commit, CancellationToken cancellationToken)
    {
        var select = context.Prepared(
            "SELECT version, last_modified, password_hash FROM resources WHERE tenant_id = @tenant AND kind = @kind AND id = @id;");
        select.Parameters.AddWithValue("@tenant", commit.TenantId);
        select.Parameters.AddWithValue("@kind", (int)commit.Kind);
        select.Parameters.AddWithValue("@id", commit.Id);
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

        return (StoreTime.FromUnixMicroseconds(reader.GetInt64(1)), SqliteRowReader.NullableString(reader, 2));
    }

    private static void BindRow(SqliteCommand command, ResourceRow row)
    {
        var indexed = row.Indexed;
        var isUser = row.Kind == ResourceKind.User;
        command.Parameters.AddWithValue("@tenant", row.TenantId);
        command.Parameters.AddWithValue("@kind", (int)row.Kind);
        command.Parameters.AddWithValue("@id", row.Id);
        command.Parameters.AddWithValue("@version", row.Version);
        command.Parameters.AddWithValue("@json", row.Json);
        command.Parameters.AddWithValue("@created", StoreTime.ToUnixMicroseconds(row.Created));
        command.Parameters.AddWithValue("@modified", StoreTime.ToUnixMicroseconds(row.LastModified));
        command.Parameters.AddWithValue("@userName", Value(isUser ? indexed.UserName : null));
        command.Parameters.AddWithValue("@userNameKey", Value(isUser ? indexed.UserName?.ToLowerInvariant() : null));
        command.Parameters.AddWithValue("@externalId", Value(indexed.ExternalId));
        command.Parameters.AddWithValue("@displayName", Value(indexed.DisplayName));
        command.Parameters.AddWithValue("@displayNameKey", Value(indexed.DisplayName?.ToLowerInvariant()));
        command.Parameters.AddWithValue("@active", indexed.Active is { } active ? (active ? 1 : 0) : DBNull.Value);
        command.Parameters.AddWithValue("@workEmail", Value(isUser ? indexed.WorkEmail : null));
        command.Parameters.AddWithValue("@workEmailKey", Value(isUser ? indexed.WorkEmail?.ToLowerInvariant() : null));

        static object Value(string? text) => (object?)text ?? DBNull.Value;
    }

    private static async Task<int> ExecuteRowWriteAsync(SqliteCommand command, ResourceRow row, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException error) when (SqliteConstraintErrors.Translate(error, row) is { } translated)
        {
            throw translated;
        }
    }

    private static List<string> GroupsOf(IReadOnlyList<EdgeChange> edges) =>
        edges.Select(e => e.GroupId).Distinct(StringComparer.Ordinal).ToList();

    private static async Task AppendEdgeEventsAsync(
        SqliteEventAppender events, IReadOnlyList<EdgeChange> removed, IReadOnlyList<EdgeChange> added, CancellationToken cancellationToken)
    {
        foreach (var edge in removed)
        {
            await events.AppendAsync(MembershipEvents.For(edge.GroupId, edge.MemberId, edge.MemberKind, added: false), cancellationToken);
        }

        foreach (var edge in added)
        {
            await events.AppendAsync(MembershipEvents.For(edge.GroupId, edge.MemberId, edge.MemberKind, added: true), cancellationToken);
        }
    }
}
