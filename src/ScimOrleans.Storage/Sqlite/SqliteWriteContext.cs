using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>The writer connection and its open transaction, handed to one unit of work.</summary>
internal sealed class SqliteWriteContext(SqliteConnection connection, SqliteTransaction transaction)
{
    public SqliteConnection Connection { get; } = connection;

    public SqliteTransaction Transaction { get; } = transaction;

    /// <summary>A command enlisted in the transaction (Microsoft.Data.Sqlite requires it explicitly).</summary>
    public SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }
}

/// <summary>The result of a unit of work and whether its writes are kept (false: rolled back, e.g. a no-op commit).</summary>
internal readonly record struct UnitOutcome<T>(T Value, bool Keep);
