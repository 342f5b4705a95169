using Npgsql;
using ScimOrleans.Storage.Postgres;
using ScimOrleans.TestSupport;

namespace ScimOrleans.Storage.Tests.Postgres;

/// <summary>Migrations on fresh databases, as silos starting at the same time run them.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationTests(PostgresServer server)
{
    [PostgresFact]
    public async Task Migrators_racing_on_a_fresh_database_all_succeed_and_apply_each_script_once()
    {
        var connectionString = await server.CreateDatabaseAsync();

        // Four silos: a data source (pool) and a store each, migrating at once.
        var silos = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            var stores = silos.Select(s => new PostgresScimStore(new PostgresStoreOptions(s))).ToList();
            await Task.WhenAll(stores.Select(store => Task.Run(() => store.MigrateAsync())));
            await stores[0].MigrateAsync();

            await using (var versions = silos[0].CreateCommand("SELECT version, name FROM schema_version ORDER BY version;"))
            await using (var reader = await versions.ExecuteReaderAsync())
            {
                var applied = new List<(int, string)>();
                while (await reader.ReadAsync())
                {
                    applied.Add((reader.GetInt32(0), reader.GetString(1)));
                }

                Assert.Equal(PostgresMigrator.Scripts(), applied);
                Assert.Equal((1, "db/postgresql/scim/001_initial.sql"), applied[0]);
            }

            // The advisory lock was released: nothing holds it any more.
            await using (var locks = silos[0].CreateCommand(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database());"))
            {
                Assert.Equal(0L, await locks.ExecuteScalarAsync());
            }

            // And the schema works from every silo.
            var at = StoreTime.Truncate(DateTimeOffset.UtcNow);
            Assert.True(await stores[1].CreateTenantAsync("t1", at));
            Assert.Equal(new TenantRecord("t1", at), await stores[3].GetTenantAsync("t1"));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    [PostgresFact]
    public async Task A_database_that_is_not_utf8_is_refused_with_a_clear_message()
    {
        await using var admin = NpgsqlDataSource.Create(server.AdminConnectionString);
        var name = "scim_latin1_" + Guid.NewGuid().ToString("N");
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{name}\" ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;"))
        {
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name, Pooling = false }.ConnectionString;
            await using var dataSource = NpgsqlDataSource.Create(connectionString);

            var error = await Assert.ThrowsAsync<PostgresException>(() => new PostgresScimStore(new PostgresStoreOptions(dataSource)).MigrateAsync());

            Assert.Contains("UTF-8", error.MessageText, StringComparison.Ordinal);
            await using var versions = dataSource.CreateCommand("SELECT COUNT(*) FROM schema_version;");
            Assert.Equal(0L, await versions.ExecuteScalarAsync());
        }
        finally
        {
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE);");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
