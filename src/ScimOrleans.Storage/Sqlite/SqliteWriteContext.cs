using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>The writer connection and its open transaction, handed to one unit of work.</summary>
internal sealed class SqliteWriteContext(SqliteConnection connection, SqliteTransaction transaction, SqliteStatementCache statements)
{
    public SqliteConnection Connection { get; } = connection;

    public SqliteTransaction Transaction { get; } = transaction;

    /// <summary>
    /// A new command enlisted in the transaction (Microsoft.Data.Sqlite requires it explicitly), for statements that
    /// run rarely; the caller disposes it.
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// The writer connection's prepared command for <paramref name="sql"/> (a constant text), enlisted in the
    /// transaction and with no parameters: the write path's statements are compiled once per connection, not once per
    /// commit. The cache owns it: do not dispose it, and do not hold it past the unit of work.
    /// </summary>
    public SqliteCommand Prepared(string sql) => statements.Get(sql, Transaction);

    /// <summary>
    /// The writer connection's positionally bound statement for <paramref name="sql"/>, for the inserts and updates every
    /// commit runs; it runs in the connection's open transaction. Owned by the cache, like <see cref="Prepared"/>.
    /// </summary>
    public SqliteBoundStatement Bound(string sql) => statements.Bound(sql);
}

/// <summary>The result of a unit of work and whether its writes are kept (false: rolled back, e.g. a no-op commit).</summary>
internal readonly record struct UnitOutcome<T>(T Value, bool Keep);
