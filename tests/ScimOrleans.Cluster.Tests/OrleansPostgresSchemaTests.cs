using Npgsql;
using ScimOrleans.Storage.Postgres;
using ScimOrleans.TestSupport;

namespace ScimOrleans.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class OrleansPostgresSchemaTests(PostgresServer server)
{
    [PostgresFact]
    public async Task Installers_racing_on_a_fresh_database_all_succeed_and_install_every_query_once()
    {
        var database = await server.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => OrleansPostgresSchema.ApplyAsync(database)));
        await OrleansPostgresSchema.ApplyAsync(database);

        Assert.Equal(
            OrleansPostgresSchema.QueryKeys.Order(StringComparer.Ordinal),
            await ReadColumnAsync(database, "SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\""));
        Assert.Equal(
            ["orleansmembershiptable", "orleansmembershipversiontable", "orleansquery", "orleansreminderstable", "orleansstorage"],
            await ReadColumnAsync(database,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"));
    }

    [PostgresFact]
    public async Task Reapplying_restores_a_query_text_that_was_changed_in_the_database()
    {
        var database = await server.CreateDatabaseAsync();
        await OrleansPostgresSchema.ApplyAsync(database);
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand(
                "UPDATE OrleansQuery SET QueryText = 'SELECT 1' WHERE QueryKey = 'ReadFromStorageKey'", connection);
            await tamper.ExecuteNonQueryAsync();
        }

        await OrleansPostgresSchema.ApplyAsync(database);

        var text = await ReadColumnAsync(database, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'");
        Assert.Contains("FROM OrleansStorage", Assert.Single(text), StringComparison.Ordinal);
    }

    private static async Task<List<string>> ReadColumnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
