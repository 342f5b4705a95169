using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// A pooled connection and the transaction one commit runs in; no transaction for a commit that is a single batch,
/// which PostgreSQL runs as one implicit transaction.
/// </summary>
internal sealed class PostgresWriteContext(NpgsqlConnection connection, NpgsqlTransaction? transaction)
{
    /// <summary>
    /// Sent at the start of every explicit write transaction. The commit statements are auto-prepared, and under
    /// PostgreSQL's default plan cache mode those taking an id array (<c>= ANY(@ids)</c>) are planned again on every
    /// execution — their custom plans look cheaper than a generic one — costing more than running them (the add-members
    /// statement: 0.17 ms planning, 0.09 ms execution). Their generic plans are as good: every one of them is an index
    /// lookup by key. <c>LOCAL</c> ends with the transaction.
    /// </summary>
    public const string GenericPlans = "SET LOCAL plan_cache_mode = force_generic_plan;";

    private bool started;

    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction? Transaction { get; } = transaction;

    /// <summary>True once the commit's last batch carried the transaction's COMMIT: there is nothing left to commit.</summary>
    public bool Committed { get; set; }

    /// <summary>
    /// A batch in the transaction: its statements go to the server in one round trip. The first batch of an explicit
    /// transaction starts with <see cref="GenericPlans"/> (a statement without a result set).
    /// </summary>
    public NpgsqlBatch Batch()
    {
        var batch = new NpgsqlBatch(Connection, Transaction);
        if (Transaction is not null && !started)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(GenericPlans));
        }

        started = true;
        return batch;
    }
}
