using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// One compiled insert of the write path, bound by parameter position through SQLitePCLRaw (the library under
/// Microsoft.Data.Sqlite) on the writer's own connection and transaction.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite binds every parameter by name on every execution: a name lookup in the statement plus a UTF-8
/// copy of the name, per parameter, per row. On bulk creates that binding was as much of the single writer's time as
/// SQLite's own insert work (16 parameters a row, 6 an event). Here the positions are looked up once, at compile time.
/// Errors surface as the <see cref="SqliteException"/> Microsoft.Data.Sqlite would have thrown (same codes and message).
/// </remarks>
internal sealed class SqliteBoundStatement : IDisposable
{
    private const int LockedRetryMilliseconds = 10;

    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;
    private readonly TimeSpan lockedBudget;
    private readonly Dictionary<string, int> positions = new(StringComparer.Ordinal);

    public SqliteBoundStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        lockedBudget = TimeSpan.FromSeconds(connection.DefaultTimeout);
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(database, sql, out statement), database);
        var count = raw.sqlite3_bind_parameter_count(statement);
        for (var i = 1; i <= count; i++)
        {
            // Keyed without the prefix (@id → id), as the engine-neutral parameter names are.
            positions[raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string()[1..]] = i;
        }
    }

    // By name without its prefix ("id" for @id). A name the statement does not use is skipped, as Microsoft.Data.Sqlite
    // does: a row's insert and its update share one binding routine (RowWrite.BindTo), and the update has no @created.
    public void Bind(string name, string? value)
    {
        if (positions.TryGetValue(name, out var position))
        {
            Check(value is null ? raw.sqlite3_bind_null(statement, position) : raw.sqlite3_bind_text(statement, position, value));
        }
    }

    public void Bind(string name, long? value)
    {
        if (positions.TryGetValue(name, out var position))
        {
            Check(value is { } number ? raw.sqlite3_bind_int64(statement, position, number) : raw.sqlite3_bind_null(statement, position));
        }
    }

    /// <summary>Runs the statement to completion and returns the rows it changed; leaves it reset and unbound.</summary>
    public int Execute()
    {
        var result = StepWhileLocked();
        try
        {
            if (result is not raw.SQLITE_DONE and not raw.SQLITE_ROW)
            {
                // The error code of a failed step is the statement's; the connection holds its message and extended code.
                SqliteException.ThrowExceptionForRC(result, database);
            }

            return raw.sqlite3_changes(database);
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    public void Dispose() => statement.Dispose();

    /// <summary>
    /// Steps the statement, retrying while the database or a table is locked by another connection (a shared-cache
    /// in-memory database's table locks, another process's writer) for up to the connection's default timeout, as
    /// Microsoft.Data.Sqlite does for its own commands.
    /// </summary>
    private int StepWhileLocked()
    {
        var started = Stopwatch.GetTimestamp();
        int result;
        while ((result = raw.sqlite3_step(statement)) is raw.SQLITE_LOCKED or raw.SQLITE_BUSY or raw.SQLITE_LOCKED_SHAREDCACHE
            && Stopwatch.GetElapsedTime(started) < lockedBudget)
        {
            raw.sqlite3_reset(statement);
            Thread.Sleep(LockedRetryMilliseconds);
        }

        return result;
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, database);
        }
    }
}
