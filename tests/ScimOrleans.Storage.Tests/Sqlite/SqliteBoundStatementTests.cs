using Microsoft.Data.Sqlite;
using ScimOrleans.Storage.Sqlite;

namespace ScimOrleans.Storage.Tests.Sqlite;

/// <summary>
/// The writer's positionally bound statements on a shared-cache database (what the store's tests and in-memory mode
/// use): another connection's read of a table locks it for writers, and a bound insert must wait that out as
/// Microsoft.Data.Sqlite's own commands do, not fail with SQLITE_LOCKED.
/// </summary>
public sealed class SqliteBoundStatementTests
{
    [Fact]
    public async Task An_insert_waits_while_another_connection_reads_the_table_and_then_succeeds()
    {
        var connectionString = SqliteConnectionStrings.ForSharedMemory("bound-" + Guid.NewGuid().ToString("N"));
        await using var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync();
        using (var create = writer.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER); INSERT INTO t VALUES ('first', 0);";
            create.ExecuteNonQuery();
        }

        // The writer's transaction (as the store's writer holds one), then another connection in the middle of reading
        // t, as a list query on the reader pool is: its running statement holds the shared cache's read lock on t.
        using var write = writer.BeginTransaction(deferred: false);
        await using var other = new SqliteConnection(connectionString);
        await other.OpenAsync();
        using var select = other.CreateCommand();
        select.CommandText = "SELECT id FROM t;";
        var rows = select.ExecuteReader();
        Assert.True(rows.Read());

        using var insert = new SqliteBoundStatement(writer, "INSERT INTO t (id, n) VALUES (@id, @n);");
        insert.Bind("id", "a");
        insert.Bind("n", 1);
        var inserting = Task.Run(insert.Execute);
        await Task.Delay(200);
        Assert.False(inserting.IsCompleted, "The insert should wait for the other connection's table lock.");
        await rows.DisposeAsync();

        Assert.Equal(1, await inserting);
        write.Commit();
        using var check = writer.CreateCommand();
        check.CommandText = "SELECT n FROM t WHERE id = 'a';";
        Assert.Equal(1L, check.ExecuteScalar());
    }
}
