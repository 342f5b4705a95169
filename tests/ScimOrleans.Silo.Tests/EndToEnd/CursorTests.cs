using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;
using static ScimOrleans.Silo.Tests.EndToEnd.TestTenants;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>RFC 9865 cursor paging over HTTP: complete walks, binding to the query, errors, and concurrent writers.</summary>
public abstract class CursorTests(ScimServerFixture fixture)
{
    private readonly ScimServer server = fixture.Server;

    [Fact]
    public async Task Service_provider_config_advertises_both_pagination_methods()
    {
        using var scim = server.Client();
        var pagination = (await scim.GetAsync("ServiceProviderConfig")).Expect(HttpStatusCode.OK).Json["pagination"]!;
        Assert.True(pagination["cursor"]!.GetValue<bool>());
        Assert.True(pagination["index"]!.GetValue<bool>());
        Assert.Equal("index", pagination["defaultPaginationMethod"]!.GetValue<string>());
        Assert.Equal(100, pagination["defaultPageSize"]!.GetValue<int>());
        Assert.Equal(1000, pagination["maxPageSize"]!.GetValue<int>());
        Assert.Equal(3600, pagination["cursorTimeout"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_cursor_walk_returns_every_resource_once_in_order()
    {
        var (_, scim) = await CreateAsync(server, "walk");
        using var _scim = scim;
        var ids = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            ids.Add(await QueryTests.CreateUserAsync(scim, $"w{i:00}@example.com", displayName: i % 3 == 0 ? null : $"D{10 - i}"));
        }

        // An empty cursor asks for the first page; the last page has no nextCursor; totals and counts are integers.
        var walked = await WalkAsync(scim, "Users?count=4", first => Assert.Null(first["startIndex"]));
        // The default order is (created, id); creates within one millisecond share `created`, so the reference is
        // the server's own single-page listing, and the set is exactly the users created.
        var listed = Ids((await scim.GetAsync("Users?count=100")).Expect(HttpStatusCode.OK).Json);
        Assert.Equal(listed, walked);
        Assert.Equal(ids.Order(), walked.Order());

        // By POST .search, sorted, filtered: the order is the sort's, the set the filter's.
        var sorted = await WalkAsync(scim, null, body: SearchRequest(("filter", "userName sw \"w\""), ("sortBy", "displayName"), ("sortOrder", "descending"), ("count", 3)));
        var expected = Ids((await scim.GetAsync("Users?filter=userName sw \"w\"&sortBy=displayName&sortOrder=descending")).Expect(HttpStatusCode.OK).Json);
        Assert.Equal(expected, sorted);
        Assert.Equal(ids.Order(), sorted.Order());

        // The root walks Users then Groups.
        var group = (await scim.PostAsync("Groups", Payloads.Group("Walkers", ids[0]))).Expect(HttpStatusCode.Created).Id;
        Assert.Equal([.. listed, group], await WalkAsync(scim, null, body: SearchRequest(("count", 5)), path: ".search"));
        Assert.Equal([.. listed, group], await WalkAsync(scim, "?count=11"));

        // count=0 returns the total and no cursor.
        var totals = (await scim.GetAsync("Users?cursor=&count=0")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(11, totals["totalResults"]!.GetValue<int>());
        Assert.Null(totals["nextCursor"]);
        Assert.Equal(0, totals["itemsPerPage"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_cursor_is_bound_to_its_query_and_bad_ones_get_scim_errors()
    {
        var (_, scim) = await CreateAsync(server, "bound");
        using var _scim = scim;
        for (var i = 0; i < 5; i++)
        {
            await QueryTests.CreateUserAsync(scim, $"b{i}@example.com", displayName: $"B{i}");
        }

        var first = (await scim.GetAsync("Users?cursor&count=2&filter=userName sw \"b\"&sortBy=displayName")).Expect(HttpStatusCode.OK).Json;
        var cursor = first["nextCursor"]!.GetValue<string>();
        Assert.Matches("^[A-Za-z0-9_-]+$", cursor);

        (await scim.GetAsync($"Users?cursor={cursor}&count=2&filter=userName sw \"b\"&sortBy=displayName")).Expect(HttpStatusCode.OK);
        Assert.Equal("invalidCursor", (await scim.GetAsync($"Users?cursor={cursor}&count=2&filter=userName sw \"c\"&sortBy=displayName")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidCursor", (await scim.GetAsync($"Users?cursor={cursor}&count=2&filter=userName sw \"b\"&sortBy=userName")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidCursor", (await scim.GetAsync($"Users?cursor={cursor}&count=2&filter=userName sw \"b\"&sortBy=displayName&sortOrder=descending")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidCursor", (await scim.GetAsync($"Groups?cursor={cursor}&count=2&filter=displayName sw \"b\"&sortBy=displayName")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidCursor", (await scim.GetAsync("Users?cursor=not-a-cursor&count=2")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidCursor", (await scim.GetAsync("Users?cursor=eyJ2IjoxfQ&count=2")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidCount", (await scim.GetAsync($"Users?cursor={cursor}&count=3&filter=userName sw \"b\"&sortBy=displayName")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidCount", (await scim.GetAsync("Users?cursor=&count=1001")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidCount", (await scim.GetAsync("Users?cursor=&count=lots")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidValue", (await scim.GetAsync("Users?cursor=&startIndex=2")).Expect(HttpStatusCode.BadRequest).ScimType);

        // Another tenant cannot use it either.
        using var home = server.Client();
        Assert.Equal("invalidCursor", (await home.GetAsync($"Users?cursor={cursor}&count=2&filter=userName sw \"b\"&sortBy=displayName")).Expect(HttpStatusCode.BadRequest).ScimType);

        // An empty count is the default page size; a negative count is 0 (RFC 9865 §2): no resources, no cursor.
        Assert.Equal(5, (await scim.GetAsync("Users?cursor=&count=")).Expect(HttpStatusCode.OK).Json["itemsPerPage"]!.GetValue<int>());
        Assert.Equal(5, (await scim.GetAsync("Users?count=&startIndex=")).Expect(HttpStatusCode.OK).Json["itemsPerPage"]!.GetValue<int>());
        var negative = (await scim.GetAsync("Users?cursor=&count=-5")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(0, negative["itemsPerPage"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_cursor_walk_during_concurrent_creates_and_deletes_never_repeats_or_skips_a_stable_resource()
    {
        var (_, scim) = await CreateAsync(server, "churn");
        using var _scim = scim;
        var stable = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            stable.Add(await QueryTests.CreateUserAsync(scim, $"stable{i:000}@example.com"));
        }

        using var stop = new CancellationTokenSource();
        var churned = new ConcurrentBag<string>();
        var churn = Task.Run(async () =>
        {
            var pending = new Queue<string>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var created = await QueryTests.CreateUserAsync(scim, $"churn{n:0000}@example.com");
                pending.Enqueue(created);
                churned.Add(created); // the new one: a walk may have seen it already (Peek() would be the oldest)
                if (pending.Count > 3)
                {
                    (await scim.DeleteAsync($"Users/{pending.Dequeue()}")).Expect(HttpStatusCode.NoContent);
                }
            }
        });

        List<string> walked;
        try
        {
            // Several walks, slow enough that writes land between every page.
            walked = [];
            for (var round = 0; round < 3; round++)
            {
                var seen = await WalkAsync(scim, "Users?count=7", pause: TimeSpan.FromMilliseconds(15));
                Assert.Equal(seen.Count, seen.Distinct().Count());
                Assert.Empty(stable.Except(seen));
                walked = seen;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await churn;
        }

        Assert.NotEmpty(churned);
        Assert.All(walked, id => Assert.True(stable.Contains(id) || churned.Contains(id)));
        // The walk keeps the query's order (creation time, then id) throughout.
        var ordered = Ids((await scim.GetAsync("Users?filter=userName sw \"stable\"&count=100")).Expect(HttpStatusCode.OK).Json);
        Assert.Equal(ordered, walked.Where(stable.Contains));
    }

    /// <summary>Follows nextCursor from an empty cursor to the end; returns every id in order.</summary>
    internal static async Task<List<string>> WalkAsync(
        ScimClient scim, string? query, Action<JsonObject>? inspectFirst = null, JsonObject? body = null, string path = "Users/.search", TimeSpan? pause = null)
    {
        var ids = new List<string>();
        string? cursor = "";
        for (var pages = 0; cursor is not null; pages++)
        {
            Assert.True(pages < 1000, "the walk does not end");
            JsonObject page;
            if (body is null)
            {
                var separator = query!.Contains('?', StringComparison.Ordinal) ? "&" : "?";
                page = (await scim.GetAsync($"{query}{separator}cursor={cursor}")).Expect(HttpStatusCode.OK).Json;
            }
            else
            {
                var request = body.DeepClone().AsObject();
                request["cursor"] = cursor;
                page = (await scim.PostAsync(path, request)).Expect(HttpStatusCode.OK).Json;
            }

            if (pages == 0)
            {
                inspectFirst?.Invoke(page);
            }

            var resources = Ids(page);
            Assert.Equal(resources.Count, page["itemsPerPage"]!.GetValue<int>());
            Assert.True(page["totalResults"]!.GetValue<int>() >= 0);
            ids.AddRange(resources);
            cursor = page["nextCursor"]?.GetValue<string>();
            if (pause is { } delay)
            {
                await Task.Delay(delay);
            }
        }

        return ids;
    }
}

/// <summary><see cref="CursorTests"/> on the embedded host (SQLite).</summary>
public sealed class CursorTestsOnSqlite(SqliteServerFixture fixture) : CursorTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="CursorTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class CursorTestsOnPostgres(PostgresServerFixture fixture) : CursorTests(fixture), IClassFixture<PostgresServerFixture>;
