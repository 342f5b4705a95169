using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// A pooled connection and the transaction one commit runs in; no transaction for a commit that is a single batch,
/// which PostgreSQL runs as one implicit transaction.
/// </summary>
internal sealed class PostgresWriteContext(NpgsqlConnection connection, NpgsqlTransaction? transaction)
{
    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction? Transaction { get; } = transaction;

    public NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);

    /// <summary>A batch in the transaction: its statements go to the server in one round trip.</summary>
    public NpgsqlBatch Batch() => new(Connection, Transaction);
}
