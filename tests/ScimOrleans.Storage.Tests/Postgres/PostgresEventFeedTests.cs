using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using ScimOrleans.Storage.Postgres;
using ScimOrleans.TestSupport;
using Xunit.Abstractions;
using static ScimOrleans.Storage.Tests.Contract.StoreTestData;

namespace ScimOrleans.Storage.Tests.Postgres;

/// <summary>The event feed under concurrent writers on several silos: every commit is read exactly once, in order.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEventFeedTests(PostgresStoreDatabase database, ITestOutputHelper output) : IClassFixture<PostgresStoreDatabase>
{
    private const int Silos = 4;
    private const int WritersPerSilo = 4;
    private const int CommitsPerWriter = 50;

    [PostgresFact]
    public async Task Concurrent_writers_on_several_silos_and_a_polling_consumer_see_every_commit_exactly_once_in_order()
    {
        var tenant = "feed-" + Guid.NewGuid().ToString("N");
        var silos = Enumerable.Range(0, Silos).Select(_ => NpgsqlDataSource.Create(database.ConnectionString)).ToList();
        try
        {
            var stores = silos.Select(s => new PostgresScimStore(new PostgresStoreOptions(s))).ToList();
            var consumerStore = new PostgresScimStore(new PostgresStoreOptions(database.DataSource));
            var expected = new ConcurrentBag<string>();
            using var writersDone = new CancellationTokenSource();
            var stopwatch = Stopwatch.StartNew();

            // The consumer polls with a small page while the writers run, then drains.
            var read = new List<StoredEvent>();
            var polls = 0;
            var consumer = Task.Run(async () =>
            {
                long cursor = 0;
                while (true)
                {
                    var finished = writersDone.IsCancellationRequested;
                    var page = await consumerStore.ReadEventsAsync(tenant, cursor, 37);
                    polls++;
                    read.AddRange(page);
                    if (page.Count > 0)
                    {
                        cursor = page[^1].Sequence;
                    }
                    else if (finished)
                    {
                        return;
                    }
                }
            });

            // 16 writers: each creates users and updates them, alternately, every commit carrying a unique marker.
            var writers = Enumerable.Range(0, Silos * WritersPerSilo).Select(w => Task.Run(async () =>
            {
                var store = stores[w % Silos];
                var versions = new List<(string Id, long Version)>();
                for (var i = 0; i < CommitsPerWriter; i++)
                {
                    var marker = $"w{w}-c{i}";
                    var at = DateTimeOffset.UtcNow;
                    if (i % 2 == 0 || versions.Count == 0)
                    {
                        var id = $"w{w}-u{i}";
                        var row = Row(tenant, id, "user-" + id, 1, at);
                        await store.CommitAsync(new ResourceCommit(tenant, ResourceKind.User, id, CommitAction.Create, 0, row, true, null, false,
                            [new EventDraft("user.created", ResourceKind.User, id, Marker(marker, 1))]));
                        versions.Add((id, 1));
                    }
                    else
                    {
                        var index = i % versions.Count;
                        var (id, version) = versions[index];
                        var row = Row(tenant, id, "user-" + id, version + 1, at);
                        await store.CommitAsync(new ResourceCommit(tenant, ResourceKind.User, id, CommitAction.Update, version, row, true, null, false,
                            [new EventDraft("user.updated", ResourceKind.User, id, Marker(marker, version + 1))]));
                        versions[index] = (id, version + 1);
                    }

                    expected.Add(marker);
                }
            })).ToList();

            await Task.WhenAll(writers);
            var writeTime = stopwatch.Elapsed;
            await writersDone.CancelAsync();
            await consumer.WaitAsync(TimeSpan.FromSeconds(60));

            var late = await LateCommitsAsync(tenant);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{expected.Count} commits by {Silos * WritersPerSilo} writers on {Silos} silos in {writeTime.TotalMilliseconds:F0} ms; consumer read {read.Count} events in {polls} polls; " +
                $"{late} events became visible after an event with a higher id (a reader following ids could have skipped them)."));

            // Positions 1..N, contiguous, no duplicate.
            Assert.Equal(Enumerable.Range(1, read.Count).Select(i => (long)i), read.Select(e => e.Sequence));

            // Exactly one event per commit: none missing, none twice.
            var markers = read.Select(e => (string)JsonNode.Parse(e.DataJson!)!["marker"]!).ToList();
            Assert.Equal(markers.Count, markers.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(expected.Order(StringComparer.Ordinal), markers.Order(StringComparer.Ordinal));
            Assert.Equal(Silos * WritersPerSilo * CommitsPerWriter, read.Count);

            // Per resource, versions appear in commit order.
            foreach (var resource in read.GroupBy(e => e.ResourceId))
            {
                var resourceVersions = resource.Select(e => (long)JsonNode.Parse(e.DataJson!)!["version"]!).ToList();
                Assert.Equal(Enumerable.Range(1, resourceVersions.Count).Select(v => (long)v), resourceVersions);
            }

            // A second reader from the start sees the very same feed: positions never change once handed out.
            var reread = await consumerStore.ReadEventsAsync(tenant, 0, 10_000);
            Assert.Equal(read, reread);
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
    public async Task An_event_that_commits_after_a_later_one_is_published_next_instead_of_being_skipped()
    {
        var tenant = "late-" + Guid.NewGuid().ToString("N");
        var store = new PostgresScimStore(new PostgresStoreOptions(database.DataSource));

        // A writer on another silo inserts its event (drawing the lower id) but has not committed yet.
        await using var slow = await database.DataSource.OpenConnectionAsync();
        await using var slowTransaction = await slow.BeginTransactionAsync();
        long slowId;
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO events (tenant_id, type, resource_kind, resource_id, occurred_at, data) " +
            "VALUES (@tenant, 'user.created', 1, 'slow', now(), NULL) RETURNING id;", slow, slowTransaction))
        {
            insert.Parameters.AddWithValue("tenant", tenant);
            slowId = (long)(await insert.ExecuteScalarAsync())!;
        }

        // Meanwhile a commit with a higher id finishes, and a consumer reads it.
        var at = DateTimeOffset.UtcNow;
        await store.CommitAsync(new ResourceCommit(tenant, ResourceKind.User, "fast", CommitAction.Create, 0, Row(tenant, "fast", "fast", 1, at), true, null, false,
            [new EventDraft("user.created", ResourceKind.User, "fast", null)]));
        var first = await store.ReadEventsAsync(tenant, 0, 10);
        Assert.Equal([(1L, "fast")], first.Select(e => (e.Sequence, e.ResourceId)));
        Assert.True(await IdOfAsync(tenant, "fast") > slowId, "The fast event must have drawn the higher id for this test to mean anything.");

        // The slow writer commits: its event is the next position, not lost behind the consumer's cursor.
        await slowTransaction.CommitAsync();
        var next = await store.ReadEventsAsync(tenant, first[^1].Sequence, 10);
        Assert.Equal([(2L, "slow")], next.Select(e => (e.Sequence, e.ResourceId)));
        Assert.Empty(await store.ReadEventsAsync(tenant, 2, 10));
    }

    [PostgresFact]
    public async Task Events_stay_unpublished_until_read_and_then_keep_their_positions()
    {
        var tenant = "pub-" + Guid.NewGuid().ToString("N");
        var store = new PostgresScimStore(new PostgresStoreOptions(database.DataSource) { MinPublishBatch = 2 });
        for (var i = 0; i < 5; i++)
        {
            var at = DateTimeOffset.UtcNow;
            var id = "u" + i.ToString(CultureInfo.InvariantCulture);
            await store.CommitAsync(new ResourceCommit(tenant, ResourceKind.User, id, CommitAction.Create, 0, Row(tenant, id, id, 1, at), true, null, false,
                [new EventDraft("user.created", ResourceKind.User, id, null)]));
        }

        Assert.Equal(5L, await CountAsync(tenant, "position IS NULL"));

        // A read publishes at most max(limit, MinPublishBatch) events; later reads publish the rest, in order.
        var page = await store.ReadEventsAsync(tenant, 0, 1);
        Assert.Equal(["u0"], page.Select(e => e.ResourceId));
        Assert.Equal(3L, await CountAsync(tenant, "position IS NULL"));

        var all = await store.ReadEventsAsync(tenant, 0, 100);
        Assert.Equal(["u0", "u1", "u2", "u3", "u4"], all.Select(e => e.ResourceId));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], all.Select(e => e.Sequence));
        Assert.Equal(0L, await CountAsync(tenant, "position IS NULL"));
    }

    private static ResourceRow Row(string tenant, string id, string userName, long version, DateTimeOffset at) =>
        new(tenant, ResourceKind.User, id, version, UserJson(id, userName), at, at, new IndexedAttributes(userName, null, null, null, null));

    private static string Marker(string marker, long version) =>
        new JsonObject { ["marker"] = marker, ["version"] = version }.ToJsonString();

    private async Task<long> IdOfAsync(string tenant, string resourceId)
    {
        await using var select = database.DataSource.CreateCommand("SELECT id FROM events WHERE tenant_id = @tenant AND resource_id = @resource;");
        select.Parameters.AddWithValue("tenant", tenant);
        select.Parameters.AddWithValue("resource", resourceId);
        return (long)(await select.ExecuteScalarAsync())!;
    }

    /// <summary>Events published after some event with a higher id: the ones an id-ordered cursor would risk skipping.</summary>
    private async Task<long> LateCommitsAsync(string tenant)
    {
        await using var select = database.DataSource.CreateCommand(
            "SELECT COUNT(*) FROM (SELECT id, MAX(id) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS highest_before " +
            "FROM events WHERE tenant_id = @tenant) AS feed WHERE id < highest_before;");
        select.Parameters.AddWithValue("tenant", tenant);
        return (long)(await select.ExecuteScalarAsync())!;
    }

    private async Task<long> CountAsync(string tenant, string condition)
    {
        await using var select = database.DataSource.CreateCommand($"SELECT COUNT(*) FROM events WHERE tenant_id = @tenant AND {condition};");
        select.Parameters.AddWithValue("tenant", tenant);
        return (long)(await select.ExecuteScalarAsync())!;
    }
}
