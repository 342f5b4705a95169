using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// Appends events to the feed inside the current write transaction, reusing one prepared statement: a commit that
/// touches k edges appends k events. The statement is the writer's cached one, so the appender needs no disposal. Sequence numbers come from AUTOINCREMENT under the single writer, so they are
/// assigned in commit order and a reader can never see a later event before an earlier one.
/// </summary>
internal sealed class SqliteEventAppender
{
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _type;
    private readonly SqliteParameter _kind;
    private readonly SqliteParameter _resourceId;
    private readonly SqliteParameter _data;

    public SqliteEventAppender(SqliteWriteContext context, string tenantId, DateTimeOffset occurredAt)
    {
        _insert = context.Prepared(
            "INSERT INTO events (tenant_id, type, resource_kind, resource_id, occurred_at, data) VALUES (@tenant, @type, @kind, @resource, @at, @data);");
        _insert.Parameters.AddWithValue("@tenant", tenantId);
        _insert.Parameters.AddWithValue("@at", StoreTime.ToUnixMicroseconds(occurredAt));
        _type = _insert.Parameters.Add("@type", SqliteType.Text);
        _kind = _insert.Parameters.Add("@kind", SqliteType.Integer);
        _resourceId = _insert.Parameters.Add("@resource", SqliteType.Text);
        _data = _insert.Parameters.Add("@data", SqliteType.Text);
    }

    public async Task AppendAsync(EventDraft draft, CancellationToken cancellationToken)
    {
        _type.Value = draft.Type;
        _kind.Value = (int)draft.ResourceKind;
        _resourceId.Value = draft.ResourceId;
        _data.Value = (object?)draft.DataJson ?? DBNull.Value;
        await _insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendAsync(IEnumerable<EventDraft> drafts, CancellationToken cancellationToken)
    {
        foreach (var draft in drafts)
        {
            await AppendAsync(draft, cancellationToken);
        }
    }
}
