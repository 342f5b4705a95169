using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// One connection's commands by SQL text. Microsoft.Data.Sqlite keeps a command's compiled statement for as long as its
/// text and connection stay the same, so reusing the command saves <c>sqlite3_prepare</c> on every use (profiled at
/// about a third of the writer's time on bulk creates, and more than the lookup itself for the recursive groups
/// query). Used by one caller at a time: the writer under its gate, a read session while rented.
/// </summary>
internal sealed class SqliteStatementCache(SqliteConnection connection) : IAsyncDisposable
{
    /// <summary>
    /// The write path has a dozen statements; reads add one or two per distinct filter shape (values are parameters).
    /// Past this, <see cref="TrimAsync"/> starts over rather than keep compiled statements for one-off queries.
    /// </summary>
    private const int MaxStatements = 64;

    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteBoundStatement> bound = new(StringComparer.Ordinal);

    /// <summary>The command for <paramref name="sql"/>, enlisted in <paramref name="transaction"/> (or none), with no parameters.</summary>
    public SqliteCommand Get(string sql, SqliteTransaction? transaction)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>The write path's positionally bound statement for <paramref name="sql"/> (see <see cref="SqliteBoundStatement"/>).</summary>
    public SqliteBoundStatement Bound(string sql)
    {
        if (!bound.TryGetValue(sql, out var statement))
        {
            statement = new SqliteBoundStatement(connection, sql);
            bound.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>Drops every command once there are too many. Call it between units of work, never while one is in use.</summary>
    public async ValueTask TrimAsync()
    {
        if (commands.Count > MaxStatements)
        {
            await DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in commands.Values)
        {
            await command.DisposeAsync();
        }

        commands.Clear();
        foreach (var statement in bound.Values)
        {
            statement.Dispose();
        }

        bound.Clear();
    }
}
