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

    [PostgresFact]
    public async Task Delete_storage_query_removes_the_row_only_at_the_expected_version()
    {
        // DeleteStorageKey is used only with DeleteStateOnClear = true; exercise it the way the provider calls it.
        var database = await server.CreateDatabaseAsync();
        await OrleansPostgresSchema.ApplyAsync(database);

        Assert.Equal([1], await RunStorageQueryAsync(database, "WriteToStorageKey", version: null));
        Assert.Empty(await RunStorageQueryAsync(database, "DeleteStorageKey", version: 7));
        Assert.Equal([2], await RunStorageQueryAsync(database, "DeleteStorageKey", version: 1));
        Assert.Empty(await RunStorageQueryAsync(database, "ReadFromStorageKey", version: null));
        Assert.Equal([1], await RunStorageQueryAsync(database, "WriteToStorageKey", version: null));
    }

    /// <summary>Runs a grain-storage query with the parameters (names and types) the AdoNet provider binds.</summary>
    private static async Task<List<int>> RunStorageQueryAsync(string connectionString, string queryKey, int? version)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        string queryText;
        await using (var lookup = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key", connection))
        {
            lookup.Parameters.AddWithValue("key", queryKey);
            queryText = (string)(await lookup.ExecuteScalarAsync())!;
        }

        await using var command = new NpgsqlCommand(queryText, connection);
        command.Parameters.Add(new NpgsqlParameter("GrainIdHash", System.Data.DbType.Int32) { Value = 42 });
        command.Parameters.Add(new NpgsqlParameter("GrainIdN0", System.Data.DbType.Int64) { Value = 0L });
        command.Parameters.Add(new NpgsqlParameter("GrainIdN1", System.Data.DbType.Int64) { Value = 0L });
        command.Parameters.Add(new NpgsqlParameter("GrainTypeHash", System.Data.DbType.Int32) { Value = 7 });
        command.Parameters.Add(new NpgsqlParameter("GrainTypeString", System.Data.DbType.String) { Value = "probe" });
        command.Parameters.Add(new NpgsqlParameter("GrainIdExtensionString", System.Data.DbType.String) { Value = "t1/u/zoe" });
        command.Parameters.Add(new NpgsqlParameter("ServiceId", System.Data.DbType.String) { Value = "svc" });
        command.Parameters.Add(new NpgsqlParameter("GrainStateVersion", System.Data.DbType.Int32) { Value = (object?)version ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("PayloadBinary", System.Data.DbType.Binary) { Value = "{}"u8.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        do
        {
            while (await reader.ReadAsync())
            {
                versions.Add(Convert.ToInt32(reader.GetValue(reader.GetOrdinal(queryKey == "ReadFromStorageKey" ? "Version" : "NewGrainStateVersion")), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        while (await reader.NextResultAsync());

        return versions;
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
