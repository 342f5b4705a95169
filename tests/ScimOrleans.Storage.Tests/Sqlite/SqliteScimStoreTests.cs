using Microsoft.Data.Sqlite;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage.Sqlite;
using ScimOrleans.Storage.Tests.Contract;

namespace ScimOrleans.Storage.Tests.Sqlite;

/// <summary>The contract suite on a fresh shared in-memory SQLite database per test, plus SQLite-specific behaviour.</summary>
public sealed class SqliteScimStoreTests : ScimStoreContractTests
{
    protected override async Task<IScimStore> CreateStoreAsync()
    {
        var store = new SqliteScimStore(SqliteStoreOptions.ForSharedMemory("scim-" + Guid.NewGuid().ToString("N")));
        await store.MigrateAsync();
        return store;
    }

    [Fact]
    public async Task Concurrent_commits_batched_together_succeed_or_fail_alone()
    {
        // Many writers at once: the writer runs whatever is queued in one transaction (group commit). A failing unit
        // (duplicate userName, missing member) must leave its neighbours in the batch untouched.
        var at = StoreTime.Truncate(DateTimeOffset.UtcNow);
        var group = GroupRow("g-batch", "Batch", 1, at, at);
        await Store.CommitAsync(Create(group));
        var attempts = Enumerable.Range(0, 96).Select(i => (i % 3) switch
        {
            0 => Store.CommitAsync(Create(UserRow($"ok-{i}", $"user{i}", 1, at, at))),
            1 => Store.CommitAsync(Create(UserRow($"dup-{i}", "taken", 1, at, at))),
            _ => Store.CommitAsync(new ResourceCommit(Tenant, ResourceKind.Group, "g-batch", CommitAction.Update, 1, group with { Version = 2 },
                false, new MembershipEdit(false, [$"missing-{i}"], []), false, [])),
        }).ToList();

        var outcomes = await Task.WhenAll(attempts.Select(async a =>
        {
            try
            {
                await a;
                return "ok";
            }
            catch (ScimException error)
            {
                return error.ScimType ?? error.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }));

        Assert.Equal(32 + 1, outcomes.Count(o => o == "ok"));
        Assert.Equal(31, outcomes.Count(o => o == ScimTypes.Uniqueness));
        Assert.Equal(32, outcomes.Count(o => o == ScimTypes.InvalidValue));
        // 32 distinct users plus the one "taken" create that came first.
        Assert.Equal(33, (await Query(ResourceKind.User, null)).TotalResults);
        Assert.Equal(1, (await Store.GetAsync(Tenant, ResourceKind.Group, "g-batch"))!.Version);
        var events = await Store.ReadEventsAsync(Tenant, 0, 1000);
        Assert.Equal(1 + 33, events.Count);
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Migrating_twice_is_harmless()
    {
        await Store.MigrateAsync();
        await Store.MigrateAsync();

        await CreateUserAsync("alice");
        Assert.Equal(1, (await Query(ResourceKind.User, null)).TotalResults);
    }

    [Fact]
    public async Task A_file_database_survives_dispose_and_reopen()
    {
        var directory = Directory.CreateTempSubdirectory("scim-sqlite-");
        try
        {
            var path = System.IO.Path.Combine(directory.FullName, "scim.db");
            var at = StoreTime.Truncate(DateTimeOffset.UtcNow);
            var row = UserRow("u1", "alice", 1, at, at);
            await using (var first = new SqliteScimStore(SqliteStoreOptions.ForFile(path)))
            {
                await first.MigrateAsync();
                await first.CreateTenantAsync(Tenant, at);
                await first.CommitAsync(Create(row));
            }

            await using (var second = new SqliteScimStore(SqliteStoreOptions.ForFile(path)))
            {
                await second.MigrateAsync();
                Assert.Equal(row, await second.GetAsync(Tenant, ResourceKind.User, "u1"));
                Assert.NotNull(await second.GetTenantAsync(Tenant));
                Assert.Single(await second.ReadEventsAsync(Tenant, 0, 10));
            }

            await using var probe = new SqliteConnection(SqliteConnectionStrings.ForFile(path));
            await probe.OpenAsync();
            await using var journal = probe.CreateCommand();
            journal.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", await journal.ExecuteScalarAsync());
            journal.CommandText = "SELECT group_concat(version) FROM (SELECT version FROM schema_version ORDER BY version);";
            Assert.Equal("1,2", await journal.ExecuteScalarAsync());
            await probe.CloseAsync();
            SqliteConnection.ClearPool(probe);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Reads_see_the_last_commit_while_writes_are_queued()
    {
        var writes = Enumerable.Range(0, 50).Select(i => Task.Run(() => CreateUserAsync("user" + i))).ToList();
        var reads = Enumerable.Range(0, 50).Select(_ => Task.Run(() => Query(ResourceKind.User, null, count: 0))).ToList();

        await Task.WhenAll(writes);
        var totals = await Task.WhenAll(reads);

        Assert.All(totals, t => Assert.InRange(t.TotalResults, 0, 50));
        Assert.Equal(50, (await Query(ResourceKind.User, null, count: 0)).TotalResults);
    }

    [Fact]
    public async Task An_attribute_name_that_cannot_be_a_json_path_is_an_invalid_filter()
    {
        var filter = StoreTestData.Eq("x\"] OR 1", "y", urn: "urn:acme");

        var error = await Assert.ThrowsAsync<ScimException>(() => Query(ResourceKind.User, filter));

        Assert.Equal(ScimTypes.InvalidFilter, error.ScimType);
    }

    [Fact]
    public void Connection_strings_name_the_file_or_the_shared_memory_database()
    {
        var file = SqliteConnectionStrings.ForFile("/tmp/x.db");
        Assert.Contains("/tmp/x.db", file, StringComparison.Ordinal);
        Assert.Contains("Foreign Keys=True", file, StringComparison.Ordinal);

        var memory = SqliteConnectionStrings.ForSharedMemory("db1");
        Assert.Contains("file:db1?mode=memory&cache=shared", memory, StringComparison.Ordinal);
    }
}
