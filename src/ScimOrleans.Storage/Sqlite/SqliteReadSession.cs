using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// A read connection kept open with its compiled statements and the store's functions, rented from
/// <see cref="SqliteReaderPool"/> for one read. Disposing it hands it back to the pool.
/// </summary>
internal sealed class SqliteReadSession : IAsyncDisposable
{
    private readonly SqliteReaderPool pool;
    private readonly SqliteStatementCache statements;

    public SqliteReadSession(SqliteConnection connection, SqliteReaderPool pool)
    {
        Connection = connection;
        this.pool = pool;
        statements = new SqliteStatementCache(connection);
    }

    public SqliteConnection Connection { get; }

    /// <summary>The session's command for <paramref name="sql"/>, in <paramref name="transaction"/> if given; do not dispose it.</summary>
    public SqliteCommand Prepared(string sql, SqliteTransaction? transaction = null) => statements.Get(sql, transaction);

    public ValueTask DisposeAsync() => pool.ReturnAsync(this);

    /// <summary>Called by the pool as the session is rented: a fresh start for the statement cache if it grew too big.</summary>
    internal ValueTask TrimAsync() => statements.TrimAsync();

    /// <summary>Closes the connection for good.</summary>
    internal async ValueTask CloseAsync()
    {
        await statements.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
