using System.Data;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.Silo.Tests.Hosting;

public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private readonly SqliteSiloHarness harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => harness.DisposeAsync().AsTask();

    [Fact]
    public async Task State_written_before_a_silo_restart_is_read_back_after_it()
    {
        var first = await harness.StartSiloAsync();
        var written = await SqliteSiloHarness.Grains(first).GetGrain<IProbeGrain>("t1/u/alice").Set("Alice");
        Assert.Equal("1", written.ETag);
        await harness.StopSiloAsync(first);

        var second = await harness.StartSiloAsync();
        var read = await SqliteSiloHarness.Grains(second).GetGrain<IProbeGrain>("t1/u/alice").Get();

        Assert.Equal(new ProbeSnapshot("Alice", 1, RecordExists: true, ETag: "1"), read);
    }

    [Fact]
    public async Task Every_write_bumps_the_version_and_the_stored_payload_is_plain_json()
    {
        var silo = await harness.StartSiloAsync();
        var grain = SqliteSiloHarness.Grains(silo).GetGrain<IProbeGrain>("t1/u/bob");

        await grain.Set("one");
        await grain.Set("two");
        var third = await grain.Set("three");

        Assert.Equal("3", third.ETag);
        Assert.Equal(1, await harness.ScalarAsync("SELECT count(*) FROM OrleansStorage"));
        Assert.Equal(1, await harness.ScalarAsync(
            "SELECT count(*) FROM OrleansStorage WHERE CAST(PayloadBinary AS TEXT) = '{\"Value\":\"three\",\"Writes\":3}'"));
    }

    [Fact]
    public async Task Cleared_state_stays_cleared_after_a_restart_and_can_be_written_again()
    {
        var first = await harness.StartSiloAsync();
        var grain = SqliteSiloHarness.Grains(first).GetGrain<IProbeGrain>("t1/u/carol");
        await grain.Set("Carol");

        var cleared = await grain.Clear();

        Assert.Equal(new ProbeSnapshot(null, 0, RecordExists: false, ETag: "2"), cleared);
        await harness.StopSiloAsync(first);

        var second = await harness.StartSiloAsync();
        grain = SqliteSiloHarness.Grains(second).GetGrain<IProbeGrain>("t1/u/carol");
        Assert.Equal(new ProbeSnapshot(null, 0, RecordExists: false, ETag: "2"), await grain.Get());

        var rewritten = await grain.Set("Carol again");
        Assert.Equal(new ProbeSnapshot("Carol again", 1, RecordExists: true, ETag: "3"), rewritten);
    }

    [Fact]
    public async Task Clearing_state_that_was_never_written_is_a_no_op()
    {
        var silo = await harness.StartSiloAsync();

        var cleared = await SqliteSiloHarness.Grains(silo).GetGrain<IProbeGrain>("t1/u/nobody").Clear();

        Assert.False(cleared.RecordExists);
        Assert.Equal(0, await harness.ScalarAsync("SELECT count(*) FROM OrleansStorage"));
    }

    [Fact]
    public async Task Keys_with_a_slash_never_collide_even_when_their_ids_look_like_the_same_hex_number()
    {
        string[] keys = ["t1/u/020235", "t1/u/20235", "t2/u/020235", "t1/g/020235", "t1/u/ABC", "t1/u/abc"];
        var first = await harness.StartSiloAsync();
        foreach (var key in keys)
        {
            await SqliteSiloHarness.Grains(first).GetGrain<IProbeGrain>(key).Set($"value of {key}");
        }

        await harness.StopSiloAsync(first);

        var second = await harness.StartSiloAsync();
        foreach (var key in keys)
        {
            var read = await SqliteSiloHarness.Grains(second).GetGrain<IProbeGrain>(key).Get();
            Assert.Equal(new ProbeSnapshot($"value of {key}", 1, RecordExists: true, ETag: "1"), read);
        }

        Assert.Equal(keys.Length, await harness.ScalarAsync("SELECT count(*) FROM OrleansStorage"));
    }

    [Fact]
    public async Task Known_hazard_keys_without_a_slash_that_parse_as_hex_share_one_row()
    {
        // Pins down the Orleans AdoNet behaviour the "keys always contain '/'" rule exists for (ADR 0001).
        var silo = await harness.StartSiloAsync();
        var grains = SqliteSiloHarness.Grains(silo);

        await grains.GetGrain<IProbeGrain>("020235").Set("written through 020235");
        var other = await grains.GetGrain<IProbeGrain>("20235").Get();

        Assert.Equal("written through 020235", other.Value);
    }

    [Fact]
    public async Task Known_hazard_grain_classes_with_the_same_key_and_state_name_share_one_row()
    {
        // Pins down why every grain class must use its own state name (ADR 0001).
        var silo = await harness.StartSiloAsync();
        var grains = SqliteSiloHarness.Grains(silo);

        await grains.GetGrain<IProbeGrain>("t1/u/dave").Set("written by ProbeGrain");
        var twin = await grains.GetGrain<IProbeTwinGrain>("t1/u/dave").Get();

        Assert.Equal("written by ProbeGrain", twin.Value);
    }

    [Fact]
    public async Task A_stale_activation_cannot_overwrite_a_newer_write()
    {
        // Two single-silo clusters on one database: the same grain is active twice, as during a membership change.
        var siloA = await harness.StartSiloAsync();
        var siloB = await harness.StartSiloAsync();
        var viaA = SqliteSiloHarness.Grains(siloA).GetGrain<IProbeGrain>("t1/u/erin");
        var viaB = SqliteSiloHarness.Grains(siloB).GetGrain<IProbeGrain>("t1/u/erin");
        await viaA.Get();
        await viaB.Get();

        await viaA.Set("A first");
        await Assert.ThrowsAsync<InconsistentStateException>(() => viaB.Set("B, never having seen A's row"));

        var reloaded = await viaB.Reload();
        Assert.Equal("1", reloaded.ETag);
        await viaA.Set("A second");
        await Assert.ThrowsAsync<InconsistentStateException>(() => viaB.Set("B, one version behind"));

        Assert.Equal(new ProbeSnapshot("A second", 2, RecordExists: true, ETag: "2"), await viaA.Reload());
    }

    [Fact]
    public async Task Delete_storage_query_removes_the_row_only_at_the_expected_version()
    {
        // DeleteStorageKey is used only with DeleteStateOnClear = true; exercise it the way the provider calls it.
        await SqliteGrainStorageSchema.ApplyAsync(harness.ConnectionString);

        Assert.Equal([1], await RunStorageQueryAsync("WriteToStorageKey", version: null));
        Assert.Empty(await RunStorageQueryAsync("DeleteStorageKey", version: 7));
        Assert.Equal([2], await RunStorageQueryAsync("DeleteStorageKey", version: 1));
        Assert.Empty(await RunStorageQueryAsync("ReadFromStorageKey", version: null));
        Assert.Equal([1], await RunStorageQueryAsync("WriteToStorageKey", version: null));
    }

    [Fact]
    public async Task The_schema_can_be_applied_any_number_of_times()
    {
        await SqliteGrainStorageSchema.ApplyAsync(harness.ConnectionString);
        await SqliteGrainStorageSchema.ApplyAsync(harness.ConnectionString);

        var silo = await harness.StartSiloAsync(); // applies it a third time
        await SqliteSiloHarness.Grains(silo).GetGrain<IProbeGrain>("t1/u/frank").Set("Frank");

        Assert.Equal(4, await harness.ScalarAsync("SELECT count(*) FROM OrleansQuery"));
        Assert.Equal(1, await harness.ScalarAsync("SELECT count(*) FROM OrleansStorage"));
    }

    /// <summary>Runs a grain-storage query with the parameters (names and types) the AdoNet provider binds.</summary>
    private async Task<List<int>> RunStorageQueryAsync(string queryKey, int? version)
    {
        await using var connection = new SqliteConnection(harness.ConnectionString);
        await connection.OpenAsync();
        await using var lookup = connection.CreateCommand();
        lookup.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = $key";
        lookup.Parameters.AddWithValue("$key", queryKey);
        var queryText = (string)(await lookup.ExecuteScalarAsync())!;

        await using var command = connection.CreateCommand();
        command.CommandText = queryText;
        Add(command, "GrainIdHash", DbType.Int32, 42);
        Add(command, "GrainIdN0", DbType.Int64, 0L);
        Add(command, "GrainIdN1", DbType.Int64, 0L);
        Add(command, "GrainTypeHash", DbType.Int32, 7);
        Add(command, "GrainTypeString", DbType.String, "probe");
        Add(command, "GrainIdExtensionString", DbType.String, "t1/u/zoe");
        Add(command, "ServiceId", DbType.String, "svc");
        Add(command, "GrainStateVersion", DbType.Int32, version);
        Add(command, "PayloadBinary", DbType.Binary, "{}"u8.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var column = queryKey == "ReadFromStorageKey" ? "Version" : "NewGrainStateVersion";
        var versions = new List<int>();
        do
        {
            while (await reader.ReadAsync())
            {
                versions.Add(Convert.ToInt32(reader.GetValue(reader.GetOrdinal(column))));
            }
        }
        while (await reader.NextResultAsync());

        return versions;

        static void Add(SqliteCommand command, string name, DbType type, object? value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name; // no prefix, exactly as the provider names them
            parameter.DbType = type;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }
}
