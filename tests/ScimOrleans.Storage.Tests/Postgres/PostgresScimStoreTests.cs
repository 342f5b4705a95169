using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage.Postgres;
using ScimOrleans.Storage.Tests.Contract;

namespace ScimOrleans.Storage.Tests.Postgres;

/// <summary>
/// The contract suite on PostgreSQL: one fresh database for the class, a fresh tenant per test (the suite's own
/// isolation), plus PostgreSQL-specific behaviour. Skipped, visibly, when no PostgreSQL can be had outside CI.
/// </summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class PostgresScimStoreTests(PostgresStoreDatabase database) : ScimStoreContractTests, IClassFixture<PostgresStoreDatabase>
{
    protected override Task<IScimStore> CreateStoreAsync() =>
        Task.FromResult<IScimStore>(new PostgresScimStore(new PostgresStoreOptions(database.DataSource)));

    [Fact]
    public async Task A_query_batch_that_fails_inside_its_own_transaction_leaves_the_pooled_connection_usable()
    {
        // QueryAsync opens and commits its REPEATABLE READ transaction inside one batch. If a statement fails, the
        // connection returns to the pool inside a failed transaction; the next user of that very connection must not
        // inherit it. One connection in the pool makes sure the next query gets the same one.
        var single = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 1, MaxAutoPrepare = 8 };
        await using var dataSource = NpgsqlDataSource.Create(single.ConnectionString);
        var store = new PostgresScimStore(new PostgresStoreOptions(dataSource));
        await using (var batch = dataSource.CreateBatch())
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT 1 / 0;"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT;"));
            await Assert.ThrowsAsync<PostgresException>(() => batch.ExecuteNonQueryAsync());
        }

        var at = Tick();
        await store.CommitAsync(Create(UserRow("after-failure", "after", 1, at, at)));
        for (var i = 0; i < 3; i++)
        {
            var page = await store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, null, null, 1, 10));
            Assert.Equal(["after-failure"], page.Rows.Select(r => r.Id));
        }
    }

    [Fact]
    public async Task The_update_guard_fails_the_whole_batch_with_a_retryable_error_when_no_row_was_written()
    {
        // An update's last batch carries its COMMIT; if its guarded row write found no row, nothing batched with it
        // may commit. The guard raises serialization_failure, which the committer retries from the start.
        var at = Tick();
        await Store.CommitAsync(Create(UserRow("guarded", "guarded", 1, at, at)));
        var before = await Store.GetAsync(Tenant, ResourceKind.User, "guarded");
        await using (var batch = database.DataSource.CreateBatch())
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN;"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                $"UPDATE resources SET display_name = 'changed' WHERE tenant_id = '{Tenant}' AND id = 'guarded';"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                $"WITH updated AS (UPDATE resources SET version = 9 WHERE tenant_id = '{Tenant}' AND id = 'guarded' AND version = 42 RETURNING 1) " +
                "SELECT scim_require_row(EXISTS (SELECT 1 FROM updated));"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT;"));
            var error = await Assert.ThrowsAsync<PostgresException>(() => batch.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.SerializationFailure, error.SqlState);
        }

        var after = await Store.GetAsync(Tenant, ResourceKind.User, "guarded");
        Assert.Equal((1L, before!.Indexed.DisplayName), (after!.Version, after.Indexed.DisplayName));
        Assert.NotEqual("changed", after.Indexed.DisplayName);
        await using var passes = database.DataSource.CreateCommand("SELECT scim_require_row(true);");
        Assert.Equal(true, await passes.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrating_again_is_harmless()
    {
        await Store.MigrateAsync();
        await Store.MigrateAsync();

        await CreateUserAsync("alice");
        Assert.Equal(1, (await Query(ResourceKind.User, null)).TotalResults);
        await using var versions = database.DataSource.CreateCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version;");
        Assert.Equal(string.Join(",", PostgresMigrator.Scripts().Select(s => s.Version)), await versions.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_json_is_returned_exactly_as_written_and_queried_as_jsonb()
    {
        var at = Tick();
        const string json = "{ \"schemas\" : [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"id\":\"u1\",\"userName\":\"alice\", \"title\": \"caf\\u00e9\" }";
        var row = UserRow("u1", "alice", 1, at, at) with { Json = json };

        await Store.CommitAsync(Create(row));

        Assert.Equal(json, (await Store.GetAsync(Tenant, ResourceKind.User, "u1"))!.Json);
        Assert.Single((await Query(ResourceKind.User, StoreTestData.Eq("title", "CAFÉ"))).Rows);
    }

    [Fact]
    public async Task Filters_fold_non_ascii_letters_like_ToLowerInvariant()
    {
        var alice = await CreateUserAsync("alice", title: "ÉQUIPE ΟΔΟΣ");
        await CreateUserAsync("bob", title: "equipe");

        Assert.Equal([alice.Id], (await Query(ResourceKind.User, StoreTestData.Eq("title", "équipe οδοσ"))).Rows.Select(r => r.Id));
        Assert.Equal([alice.Id], (await Query(ResourceKind.User, StoreTestData.Compare("title", Protocol.Filtering.ComparisonOperator.Co, "ΔΟΣ"))).Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task A_NUL_character_is_an_invalid_value_not_a_server_error()
    {
        var at = Tick();

        var inColumn = await Assert.ThrowsAsync<ScimException>(() => Store.CommitAsync(Create(UserRow("u1", "al\0ice", 1, at, at))));
        var inJson = await Assert.ThrowsAsync<ScimException>(() =>
            Store.CommitAsync(Create(UserRow("u2", "bob", 1, at, at) with { Json = "{\"id\":\"u2\",\"userName\":\"bob\",\"title\":\"a\\u0000b\"}" })));

        Assert.Equal(ScimTypes.InvalidValue, inColumn.ScimType);
        Assert.Equal(ScimTypes.InvalidValue, inJson.ScimType);
        Assert.Empty(await EventsAsync());
    }

    [Fact]
    public async Task Adding_a_member_that_is_deleted_concurrently_never_leaves_a_dangling_edge()
    {
        // Many rounds of "add u to g" racing "delete u": whatever the interleaving, either the add fails (member gone)
        // or the delete removes the new edge and reports it.
        for (var round = 0; round < 20; round++)
        {
            var user = await CreateUserAsync("racer" + round);
            var group = await CreateGroupAsync("team" + round);
            var add = Task.Run(() => UpdateGroupAsync(group, add: [user.Id], rowChanged: false));
            var delete = Task.Run(() => Store.CommitAsync(Delete(ResourceKind.User, user.Id, 1, [new EventDraft("user.deleted", ResourceKind.User, user.Id, null)])));

            await delete;
            try
            {
                await add;
            }
            catch (ScimException error) when (error.ScimType == ScimTypes.InvalidValue)
            {
            }

            Assert.Equal(0, await Store.CountMembersAsync(Tenant, group.Id));
        }

        var events = await EventsAsync();
        Assert.Equal(events.Count(e => e.Type == "group.user_added"), events.Count(e => e.Type == "group.user_removed"));
    }

    [Fact]
    public async Task A_groups_bumps_are_rows_until_its_next_load_folds_them_into_its_row()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var group = await CreateGroupAsync("team", members: [alice.Id, bob.Id]);
        await Store.CommitAsync(Delete(ResourceKind.User, alice.Id, 1, []));
        await Store.CommitAsync(Delete(ResourceKind.User, bob.Id, 1, []));
        Assert.Equal((1L, 2L), await RowVersionAndBumpsAsync());

        // The effective version is the same before and after the fold.
        Assert.Equal(3, (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Version);
        Assert.Equal((3L, 0L), await RowVersionAndBumpsAsync());
        Assert.Equal(3, (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Version);

        async Task<(long Version, long Bumps)> RowVersionAndBumpsAsync()
        {
            await using var read = database.DataSource.CreateCommand(
                "SELECT r.version, (SELECT count(*) FROM group_bumps AS b WHERE b.tenant_id = r.tenant_id AND b.group_id = r.id) " +
                "FROM resources AS r WHERE r.tenant_id = @tenant AND r.kind = 2 AND r.id = @id;");
            read.Parameters.AddWithValue("tenant", Tenant);
            read.Parameters.AddWithValue("id", group.Id);
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    [Fact]
    public async Task A_user_deletion_does_not_queue_behind_a_locked_group_and_cannot_deadlock_with_it()
    {
        // A group commit adding members locks the group, then the members; a user deletion locks the user and (until
        // group bumps became appended rows) then the groups it left, so the two could deadlock. Now the deletion
        // touches no group row: with the group locked and a member add waiting behind that lock, it still completes.
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var group = await CreateGroupAsync("team", members: [alice.Id]);
        var log = new RecordingLogger();
        var store = new PostgresScimStore(new PostgresStoreOptions(database.DataSource), log);

        await using var blocker = await database.DataSource.OpenConnectionAsync();
        await using var blocking = await blocker.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT 1 FROM resources WHERE tenant_id = @tenant AND kind = 2 AND id = @id FOR UPDATE;", blocker, blocking))
        {
            hold.Parameters.AddWithValue("tenant", Tenant);
            hold.Parameters.AddWithValue("id", group.Id);
            await hold.ExecuteNonQueryAsync();
        }

        var groupRow = group with { Version = 2, LastModified = Tick() };
        var add = Task.Run(() => store.CommitAsync(Update(groupRow, 1, []) with
        {
            RowChanged = false,
            Membership = new MembershipEdit(false, [alice.Id, bob.Id], []),
        }));
        await WaitForLockWaitersAsync(1);

        // Completes while the group is still locked.
        var deleted = await store.CommitAsync(Delete(ResourceKind.User, alice.Id, 1, [new EventDraft("user.deleted", ResourceKind.User, alice.Id, null)]));
        Assert.Equal([group.Id], deleted.TouchedGroups);
        Assert.False(add.IsCompleted);
        await blocking.CommitAsync();

        // The add then finds the group changed by the deletion (its bump): the concurrency failure a grain answers by
        // reloading, having written nothing.
        await Assert.ThrowsAsync<StoreConcurrencyException>(() => add);
        Assert.DoesNotContain(log.Messages, m => m.Contains("40P01", StringComparison.Ordinal));
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.User, alice.Id));
        Assert.Empty(await Store.GetMembersAsync(Tenant, group.Id, 10));
        Assert.Equal(2, (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Version);
        var events = await EventsAsync();
        Assert.Equal(events.Count(e => e.Type == "group.user_added"), events.Count(e => e.Type == "group.user_removed"));
    }

    private async Task WaitForLockWaitersAsync(int count)
    {
        await using var waiting = database.DataSource.CreateCommand(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock';");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((long)(await waiting.ExecuteScalarAsync())! < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} sessions waiting for a lock.");
            await Task.Delay(10);
        }
    }

    private sealed class RecordingLogger : ILogger<PostgresScimStore>
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _messages.Enqueue(formatter(state, exception));
    }
}
