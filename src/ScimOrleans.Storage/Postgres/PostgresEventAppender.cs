using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Collects the events of one commit and appends them with a single statement, whatever their number (a commit that
/// touches k edges appends k events). Rows get <c>position</c> NULL: they are numbered by the feed's publisher once
/// committed (see <see cref="PostgresEventFeed"/>), so writers never contend on anything shared by the tenant. The
/// statement runs in the commit's final batch, after everything that decides which events there are.
/// </summary>
internal sealed class PostgresEventAppender(string tenantId, DateTimeOffset occurredAt)
{
    private readonly List<EventDraft> _drafts = [];
    private readonly List<DateTime> _times = [];

    public void Append(IEnumerable<EventDraft> drafts) => Append(drafts, occurredAt);

    /// <summary>Appends events that occurred at another time than the appender's (several creates in one statement).</summary>
    public void Append(IEnumerable<EventDraft> drafts, DateTimeOffset at)
    {
        var time = PostgresValues.Time(at);
        foreach (var draft in drafts)
        {
            _drafts.Add(draft);
            _times.Add(time);
        }
    }

    /// <summary>The statement appending every collected event, or null when there is none.</summary>
    public NpgsqlBatchCommand? ToCommand()
    {
        if (_drafts.Count == 0)
        {
            return null;
        }

        if (_drafts.Count == 1)
        {
            // Most commits append one event: a plain VALUES row costs PostgreSQL a fraction of unnesting five arrays.
            var single = new NpgsqlBatchCommand(
                "INSERT INTO events (tenant_id, type, resource_kind, resource_id, occurred_at, data) " +
                "VALUES (@tenant, @type, @kind, @resource, @at, @data);");
            var draft = _drafts[0];
            single.Parameters.AddValue("tenant", tenantId);
            single.Parameters.AddValue("type", draft.Type);
            single.Parameters.AddValue("kind", (int)draft.ResourceKind);
            single.Parameters.AddValue("resource", draft.ResourceId);
            single.Parameters.AddValue("at", _times[0]);
            single.Parameters.AddValue("data", draft.DataJson);
            return single;
        }

        // The identity default is evaluated above the ORDER BY (PostgreSQL projects an INSERT … SELECT's defaults on
        // the sorted rows), so ids, and with them the published positions, follow the order the events were appended.
        var insert = new NpgsqlBatchCommand(
            "INSERT INTO events (tenant_id, type, resource_kind, resource_id, occurred_at, data) " +
            "SELECT @tenant, u.type, u.kind, u.resource, u.at, u.data " +
            "FROM unnest(@types::text[], @kinds::integer[], @resources::text[], @data::text[], @ats::timestamptz[]) " +
            "WITH ORDINALITY AS u (type, kind, resource, data, at, ord) " +
            "ORDER BY u.ord;");
        insert.Parameters.AddValue("tenant", tenantId);
        insert.Parameters.AddValue("types", _drafts.Select(d => d.Type).ToArray());
        insert.Parameters.AddValue("kinds", _drafts.Select(d => (int)d.ResourceKind).ToArray());
        insert.Parameters.AddValue("resources", _drafts.Select(d => d.ResourceId).ToArray());
        insert.Parameters.AddValue("data", _drafts.Select(d => d.DataJson).ToArray());
        insert.Parameters.AddValue("ats", _times.ToArray());
        return insert;
    }
}
