namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// Appends events to the feed inside the current write transaction, reusing one positionally bound statement: a commit that
/// touches k edges appends k events. The statement is the writer's cached one, so the appender needs no disposal. Sequence numbers come from AUTOINCREMENT under the single writer, so they are
/// assigned in commit order and a reader can never see a later event before an earlier one.
/// </summary>
internal sealed class SqliteEventAppender
{
    private const string Insert =
        "INSERT INTO events (tenant_id, type, resource_kind, resource_id, occurred_at, data) VALUES (@tenant, @type, @kind, @resource, @at, @data);";

    private readonly SqliteBoundStatement _insert;
    private readonly string _tenantId;
    private readonly long _occurredAt;

    public SqliteEventAppender(SqliteWriteContext context, string tenantId, DateTimeOffset occurredAt)
    {
        _insert = context.Bound(Insert);
        _tenantId = tenantId;
        _occurredAt = StoreTime.ToUnixMicroseconds(occurredAt);
    }

    public Task AppendAsync(EventDraft draft, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _insert.Bind("tenant", _tenantId);
        _insert.Bind("at", _occurredAt);
        _insert.Bind("type", draft.Type);
        _insert.Bind("kind", (int)draft.ResourceKind);
        _insert.Bind("resource", draft.ResourceId);
        _insert.Bind("data", draft.DataJson);
        _insert.Execute();
        return Task.CompletedTask;
    }

    public async Task AppendAsync(IEnumerable<EventDraft> drafts, CancellationToken cancellationToken)
    {
        foreach (var draft in drafts)
        {
            await AppendAsync(draft, cancellationToken);
        }
    }
}
