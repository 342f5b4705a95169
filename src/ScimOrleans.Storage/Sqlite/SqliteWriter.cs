using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// The single writer connection. SQLite admits one writer at a time per database; funnelling every write of this
/// process through one connection and an async lock turns contention into a queue instead of busy retries, and
/// <c>BEGIN IMMEDIATE</c> takes the write lock up front so a transaction never fails half-way on a lock upgrade
/// (which also serialises writers in other processes sharing the file).
/// </summary>
/// <remarks>
/// Each unit runs inside its own savepoint, so a unit that fails or declines (<see cref="UnitOutcome{T}.Keep"/>
/// false) rolls back alone; the units queued together commit together (group commit, see
/// <see cref="ExecuteAsync{T}"/>), and none is acknowledged before that commit.
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    // Savepoints through the statement cache: SqliteTransaction.Save/Release compile their statement every time, which
    // profiled at a tenth of the writer's time on bulk creates (two per unit).
    private const string SaveUnit = "SAVEPOINT unit;";
    private const string RollbackUnit = "ROLLBACK TO unit;";
    private const string ReleaseUnit = "RELEASE unit;";

    /// <summary>The writer's page cache (64 MiB; readers keep SQLite's default).</summary>
    private const int WriterCacheKibibytes = 64 * 1024;

    /// <summary>Upper bound of units per transaction, so one batch never holds the write lock for long.</summary>
    private const int MaxBatch = 128;

    private readonly ConcurrentQueue<IPendingUnit> _queue = new();

    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteStatementCache? _statements;
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

    /// <summary>
    /// Runs <paramref name="unit"/> in a write transaction and returns once that transaction has committed (or
    /// throws what the unit threw, with nothing of the unit written). Group commit: whoever holds the writer runs
    /// every unit queued at that moment in one transaction, each in its own savepoint, so concurrent writers share
    /// one BEGIN/COMMIT and one WAL append instead of queueing for one each. A unit sees the writes of the units
    /// before it in the batch, exactly as if they had committed one after another.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(Func<SqliteWriteContext, CancellationToken, Task<UnitOutcome<T>>> unit, CancellationToken cancellationToken)
    {
        var pending = new PendingUnit<T>(unit, cancellationToken);
        _queue.Enqueue(pending);
        await DriveAsync([pending], cancellationToken);
        return await pending.Completion;
    }

    /// <summary>
    /// Queues every unit at once, in list order, and returns their results in that order once the transactions
    /// holding them have committed: the same as calling <see cref="ExecuteAsync{T}"/> for each in turn, but they fill
    /// whole batches. A unit that throws fails only its own task.
    /// </summary>
    public async Task<IReadOnlyList<Task<T>>> ExecuteManyAsync<T>(
        IReadOnlyList<Func<SqliteWriteContext, CancellationToken, Task<UnitOutcome<T>>>> units, CancellationToken cancellationToken)
    {
        var pending = units.Select(unit => new PendingUnit<T>(unit, cancellationToken)).ToArray();
        foreach (var item in pending)
        {
            _queue.Enqueue(item);
        }

        await DriveAsync(pending, cancellationToken);
        return pending.Select(p => p.Completion).ToArray();
    }

    /// <summary>Takes turns at the writer until every one of <paramref name="pending"/> is complete.</summary>
    private async Task DriveAsync<T>(IReadOnlyList<PendingUnit<T>> pending, CancellationToken cancellationToken)
    {
        while (!AllCompleted(pending))
        {
            try
            {
                await _gate.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (!AllCompleted(pending))
            {
                // Given up before its turn: withdraw the units (a batch already running one wins the race, and then
                // the outcome is unknown to this caller, as with any write cut short).
                foreach (var item in pending)
                {
                    item.Withdraw();
                }

                throw;
            }

            try
            {
                // The previous holder may have run these units in its batch while this caller waited for the gate.
                if (!AllCompleted(pending))
                {
                    await RunBatchAsync();
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private static bool AllCompleted<T>(IReadOnlyList<PendingUnit<T>> pending)
    {
        foreach (var item in pending)
        {
            if (!item.Completion.IsCompleted)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs the queued units (at most <see cref="MaxBatch"/>) in one transaction. Called under the gate.</summary>
    private async Task RunBatchAsync()
    {
        var batch = new List<IPendingUnit>(Math.Min(_queue.Count, MaxBatch));
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            if (!next.ShouldSkip())
            {
                batch.Add(next);
            }
        }

        if (batch.Count == 0)
        {
            return;
        }

        SqliteConnection connection;
        try
        {
            connection = await OpenCoreAsync(CancellationToken.None);
        }
        catch (Exception error)
        {
            batch.ForEach(p => p.Fail(error));
            return;
        }

        await _statements!.TrimAsync();
        var failed = new bool[batch.Count];
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var context = new SqliteWriteContext(connection, transaction, _statements!);
            for (var i = 0; i < batch.Count; i++)
            {
                await RunAsync(context, SaveUnit);
                try
                {
                    // A unit must not be cut short by another caller's cancellation: the batch runs to its end.
                    var keep = await batch[i].RunAsync(context);
                    if (!keep)
                    {
                        await RunAsync(context, RollbackUnit);
                    }
                }
                catch (Exception error)
                {
                    await RunAsync(context, RollbackUnit);
                    batch[i].Fail(error);
                    failed[i] = true;
                }

                await RunAsync(context, ReleaseUnit);
            }

            transaction.Commit();
        }
        catch (Exception error)
        {
            // BEGIN or COMMIT failed (disk full, I/O error): nothing of the batch is written.
            for (var i = 0; i < batch.Count; i++)
            {
                if (!failed[i])
                {
                    batch[i].Fail(error);
                    failed[i] = true;
                }
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (!failed[i])
            {
                batch[i].Publish();
            }
        }
    }

    private static Task<int> RunAsync(SqliteWriteContext context, string sql) =>
        context.Prepared(sql).ExecuteNonQueryAsync(CancellationToken.None);

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
            if (_statements is not null)
            {
                await _statements.DisposeAsync();
                _statements = null;
            }

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
                // costs no fsync until checkpoint while staying durable against process crashes. cache_size: every create
                // inserts into five indexes of resources at random positions (GUID ids); SQLite's default 2 MiB page
                // cache holds a small fraction of them once a tenant has tens of thousands of users.
                pragma.CommandText =
                    $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; " +
                    $"PRAGMA cache_size = -{WriterCacheKibibytes};";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _statements = new SqliteStatementCache(connection);
        Volatile.Write(ref _connection, connection);
        return connection;
    }
}
