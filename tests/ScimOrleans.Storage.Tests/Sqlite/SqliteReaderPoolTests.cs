using System.Data;
using Microsoft.Data.Sqlite;
using ScimOrleans.Storage.Sqlite;

namespace ScimOrleans.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite store's read sessions: open connections that keep their compiled statements between reads, bounded in
/// number, closed with the pool.
/// </summary>
public sealed class SqliteReaderPoolTests : IAsyncLifetime
{
    private readonly string name = "pool-" + Guid.NewGuid().ToString("N");
    private SqliteConnection keepAlive = null!;

    private string ConnectionString => SqliteConnectionStrings.ForSharedMemory(name);

    public async Task InitializeAsync()
    {
        // A shared in-memory database lives while one connection is open.
        keepAlive = new SqliteConnection(ConnectionString);
        await keepAlive.OpenAsync();
    }

    public async Task DisposeAsync() => await keepAlive.DisposeAsync();

    [Fact]
    public async Task A_returned_session_is_rented_again_with_its_compiled_statements_and_functions()
    {
        await using var pool = new SqliteReaderPool(ConnectionString, maxIdle: 4);
        SqliteConnection firstConnection;
        SqliteCommand firstCommand;
        await using (var session = await pool.RentAsync(CancellationToken.None))
        {
            firstConnection = session.Connection;
            firstCommand = session.Prepared("SELECT scim_lower(@v);");
            firstCommand.Parameters.AddWithValue("@v", "ÄBC");
            Assert.Equal("äbc", await firstCommand.ExecuteScalarAsync());
        }

        await using var again = await pool.RentAsync(CancellationToken.None);
        Assert.Same(firstConnection, again.Connection);
        var command = again.Prepared("SELECT scim_lower(@v);");
        Assert.Same(firstCommand, command);
        Assert.Empty(command.Parameters);
        command.Parameters.AddWithValue("@v", "XY");
        Assert.Equal("xy", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Sessions_beyond_the_idle_bound_are_closed_and_disposal_closes_the_rest()
    {
        var pool = new SqliteReaderPool(ConnectionString, maxIdle: 2);
        var sessions = new List<SqliteReadSession>();
        for (var i = 0; i < 4; i++)
        {
            sessions.Add(await pool.RentAsync(CancellationToken.None));
        }

        Assert.Equal(4, sessions.Select(s => s.Connection).Distinct().Count());
        foreach (var session in sessions)
        {
            await session.DisposeAsync();
        }

        Assert.Equal(2, sessions.Count(s => s.Connection.State == ConnectionState.Open));
        await pool.DisposeAsync();
        Assert.All(sessions, s => Assert.Equal(ConnectionState.Closed, s.Connection.State));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.RentAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_session_that_compiled_too_many_distinct_statements_starts_over_on_its_next_rent()
    {
        await using var pool = new SqliteReaderPool(ConnectionString, maxIdle: 1);
        SqliteCommand first;
        await using (var session = await pool.RentAsync(CancellationToken.None))
        {
            first = session.Prepared("SELECT 0;");
            for (var i = 1; i <= 100; i++)
            {
                Assert.Equal((long)i, await session.Prepared($"SELECT {i};").ExecuteScalarAsync());
            }

            // Within one rent nothing is dropped: a command in hand stays usable.
            Assert.Same(first, session.Prepared("SELECT 0;"));
        }

        await using var again = await pool.RentAsync(CancellationToken.None);
        var fresh = again.Prepared("SELECT 0;");
        Assert.NotSame(first, fresh);
        Assert.Equal(0L, await fresh.ExecuteScalarAsync());
    }
}
