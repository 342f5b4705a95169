using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// The single writer connection. SQLite admits one writer at a time per database; funnelling every write of this
/// process through one connection and an async lock turns contention into a queue instead of busy retries, and
/// <c>BEGIN IMMEDIATE</c> takes the write lock up front so a transaction never fails half-way on a lock upgrade
/// (which also serialises writers in other processes sharing the file).
/// </summary>
/// <remarks>
/// Each unit runs inside its own savepoint within the transaction. Today a transaction holds one unit; group commit
/// (several queued units in one transaction, one fsync) only has to change <see cref="ExecuteAsync{T}"/> to drain a
/// queue: units already roll back on their own without disturbing their neighbours.
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const string UnitSavepoint = "unit";

    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private bool _disposed;

    public SqliteWriter(string connectionString, TimeSpan busyTimeout)
    {
        _connectionString = connectionString;
        _busyTimeoutMilliseconds = (int)Math.Clamp(busyTimeout.TotalMilliseconds, 0, int.MaxValue);
    }

    /// <summary>Opens the writer connection if needed. For a shared in-memory database this is what keeps it alive.</summary>
    public async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is not null)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await OpenCoreAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="unit"/> in a write transaction and commits it unless it throws.</summary>
    public async Task<T> ExecuteAsync<T>(Func<SqliteWriteContext, CancellationToken, Task<UnitOutcome<T>>> unit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await OpenCoreAsync(cancellationToken);
            using var transaction = connection.BeginTransaction(deferred: false);
            var context = new SqliteWriteContext(connection, transaction);
            transaction.Save(UnitSavepoint);
            UnitOutcome<T> outcome;
            try
            {
                outcome = await unit(context, cancellationToken);
            }
            catch
            {
                transaction.Rollback(UnitSavepoint);
                throw;
            }

            if (outcome.Keep)
            {
                transaction.Release(UnitSavepoint);
            }
            else
            {
                transaction.Rollback(UnitSavepoint);
                transaction.Release(UnitSavepoint);
            }

            transaction.Commit();
            return outcome.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SqliteConnection> OpenCoreAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is not null)
        {
            return _connection;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            SqliteFunctions.Register(connection);
            await using (var pragma = connection.CreateCommand())
            {
                // busy_timeout first: switching to WAL needs a moment of exclusive access while other processes may be
                // using the file. journal_mode is persistent in the file (and stays "memory" for in-memory databases);
                // synchronous and busy_timeout are per connection. WAL + NORMAL: readers never block the writer, and a commit
                // costs no fsync until checkpoint while staying durable against process crashes.
                pragma.CommandText =
                    $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        Volatile.Write(ref _connection, connection);
        return connection;
    }
}
