using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// The store's read connections. Microsoft.Data.Sqlite's own pool keeps the file handle but not what makes a read
/// cheap: every open re-runs its pragmas, every command re-compiles its SQL, and functions are registered again. These
/// sessions stay open and keep all three. WAL readers never block the writer, and an idle session holds no read
/// snapshot, so keeping them costs only memory.
/// </summary>
internal sealed class SqliteReaderPool(string connectionString, int maxIdle) : IAsyncDisposable
{
    private readonly ConcurrentBag<SqliteReadSession> idle = [];
    private volatile bool disposed;

    public async Task<SqliteReadSession> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (idle.TryTake(out var session))
        {
            await session.TrimAsync();
            return session;
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            SqliteFunctions.Register(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return new SqliteReadSession(connection, this);
    }

    internal async ValueTask ReturnAsync(SqliteReadSession session)
    {
        if (!disposed && idle.Count < maxIdle)
        {
            idle.Add(session);
            if (!disposed)
            {
                return;
            }

            // Disposed while handing it back: close whatever the disposal may have missed.
            await DrainAsync();
            return;
        }

        await session.CloseAsync();
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        await DrainAsync();
    }

    private async ValueTask DrainAsync()
    {
        while (idle.TryTake(out var session))
        {
            await session.CloseAsync();
        }
    }
}
