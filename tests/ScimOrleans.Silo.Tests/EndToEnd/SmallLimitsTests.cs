using System.Net;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;
using ScimOrleans.TestSupport;
using static ScimOrleans.Silo.Tests.EndToEnd.TestTenants;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>The member caps on group and list responses, their paging alternative, and cursor expiry.</summary>
public abstract class SmallLimitsTests(ScimServerFixture fixture)
{
    private readonly ScimServer server = fixture.Server;

    [Fact]
    public async Task A_group_response_shows_at_most_the_configured_members_and_the_rest_pages_through_users()
    {
        var (_, scim) = await CreateAsync(server, "cap");
        using var _scim = scim;
        var members = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            members.Add(await QueryTests.CreateUserAsync(scim, $"m{i}@example.com"));
        }

        var groupId = (await scim.PostAsync("Groups", Payloads.Group("Big", [.. members]))).Expect(HttpStatusCode.Created).Id;
        var group = (await scim.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(3, group["members"]!.AsArray().Count);
        Assert.All(group["members"]!.AsArray(), m => Assert.Contains(m!["value"]!.GetValue<string>(), members));

        // The documented alternative: page the members as users, by index or by cursor.
        var filter = Uri.EscapeDataString($"groups.value eq \"{groupId}\"");
        var byIndex = new List<string>();
        for (var start = 1; start <= 5; start += 2)
        {
            var page = (await scim.GetAsync($"Users?filter={filter}&startIndex={start}&count=2")).Expect(HttpStatusCode.OK).Json;
            Assert.Equal(5, page["totalResults"]!.GetValue<int>());
            byIndex.AddRange(Ids(page));
        }

        // The default order is (created, id); creates within one millisecond share `created`, so the reference is
        // the server's own single-page listing, and the set is exactly the members.
        var listed = Ids((await scim.GetAsync($"Users?filter={filter}&count=100")).Expect(HttpStatusCode.OK).Json);
        Assert.Equal(members.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed, byIndex);
        Assert.Equal(listed, await CursorTests.WalkAsync(scim, $"Users?filter={filter}&count=2"));
    }

    [Fact]
    public async Task A_list_shows_each_group_with_at_most_the_list_cap_of_members_while_a_single_group_shows_more()
    {
        var (_, scim) = await CreateAsync(server, "listcap");
        using var _scim = scim;
        var users = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            users.Add(await QueryTests.CreateUserAsync(scim, $"l{i}@example.com"));
        }

        // A single group's response, the create's included, shows MaxMembersReturned (3): the first by member id.
        var created = (await scim.PostAsync("Groups", Payloads.Group("Big", [.. users]))).Expect(HttpStatusCode.Created);
        var big = created.Id;
        var firstThree = users.Order(StringComparer.Ordinal).Take(3).ToList();
        Assert.Equal(firstThree, EntraSequenceTests.MemberIds(created.Json));
        var single = (await scim.GetAsync($"Groups/{big}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(firstThree, EntraSequenceTests.MemberIds(single));
        var pair = (await scim.PostAsync("Groups", Payloads.Group("Pair", users[4], users[0]))).Expect(HttpStatusCode.Created).Id;
        var solo = (await scim.PostAsync("Groups", Payloads.Group("Solo", users[2]))).Expect(HttpStatusCode.Created).Id;
        var empty = (await scim.PostAsync("Groups", Payloads.Group("Empty"))).Expect(HttpStatusCode.Created).Id;

        // A list shows MaxMembersInList (2) per group: the first two of what the group itself shows.
        var expected = new Dictionary<string, List<string>>
        {
            [big] = [.. firstThree.Take(2)],
            [pair] = [.. new[] { users[4], users[0] }.Order(StringComparer.Ordinal)],
            [solo] = [users[2]],
            [empty] = [],
        };
        var capped = new JsonArray([.. single["members"]!.AsArray().Take(2).Select(m => m!.DeepClone())]).ToJsonString();
        foreach (var page in new[]
        {
            (await scim.GetAsync("Groups?count=100")).Expect(HttpStatusCode.OK).Json,
            (await scim.PostAsync("Groups/.search", SearchRequest(("count", 100)))).Expect(HttpStatusCode.OK).Json,
            (await scim.GetAsync("?count=100")).Expect(HttpStatusCode.OK).Json,
            (await scim.PostAsync(".search", SearchRequest(("filter", "displayName pr")))).Expect(HttpStatusCode.OK).Json,
        })
        {
            var groups = page["Resources"]!.AsArray().Select(r => r!.AsObject()).Where(r => r["meta"]!["resourceType"]!.GetValue<string>() == "Group").ToList();
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), groups.Select(g => g["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            foreach (var group in groups)
            {
                Assert.Equal(expected[group["id"]!.GetValue<string>()], EntraSequenceTests.MemberIds(group));
            }

            Assert.Equal(capped, groups.Single(g => g["id"]!.GetValue<string>() == big)["members"]!.ToJsonString());
        }

        // Still three on the group itself; none in a list that excludes them.
        Assert.Equal(firstThree, EntraSequenceTests.MemberIds((await scim.GetAsync($"Groups/{big}")).Expect(HttpStatusCode.OK).Json));
        var excluded = (await scim.PostAsync("Groups/.search", SearchRequest(("excludedAttributes", new JsonArray("members"))))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), Ids(excluded).Order(StringComparer.Ordinal));
        Assert.All(excluded["Resources"]!.AsArray(), r => Assert.Null(r!["members"]));
    }

    [Fact]
    public async Task A_cursor_older_than_the_timeout_is_expired()
    {
        var (_, scim) = await CreateAsync(server, "expiry");
        using var _scim = scim;
        for (var i = 0; i < 3; i++)
        {
            await QueryTests.CreateUserAsync(scim, $"e{i}@example.com");
        }

        var config = (await scim.GetAsync("ServiceProviderConfig")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(1, config["pagination"]!["cursorTimeout"]!.GetValue<int>());
        var cursor = (await scim.GetAsync("Users?cursor=&count=1")).Expect(HttpStatusCode.OK).Json["nextCursor"]!.GetValue<string>();
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Equal("expiredCursor", (await scim.GetAsync($"Users?cursor={cursor}&count=1")).Expect(HttpStatusCode.BadRequest).ScimType);
    }

    [Fact]
    public async Task Bulk_limits_are_advertised_and_exceeding_them_is_413_with_a_scim_error()
    {
        var (_, scim) = await CreateAsync(server, "bulklimits");
        using var _scim = scim;
        var bulk = (await scim.GetAsync("ServiceProviderConfig")).Expect(HttpStatusCode.OK).Json["bulk"]!;
        Assert.True(bulk["supported"]!.GetValue<bool>());
        Assert.Equal(3, bulk["maxOperations"]!.GetValue<int>());
        Assert.Equal(2000, bulk["maxPayloadSize"]!.GetValue<int>());

        var four = BulkTests.Bulk(null, [.. Enumerable.Range(0, 4).Select(i => BulkTests.Op("POST", "/Users", $"u{i}", BulkTests.User($"limit{i}@example.com")))]);
        var tooMany = (await scim.PostAsync("Bulk", four)).Expect(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("maxOperations", tooMany.Json["detail"]!.GetValue<string>());

        var big = BulkTests.User("big@example.com");
        big["displayName"] = new string('x', 2500);
        var tooBig = (await scim.PostAsync("Bulk", BulkTests.Bulk(null, BulkTests.Op("POST", "/Users", "big", big)))).Expect(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("maxPayloadSize", tooBig.Json["detail"]!.GetValue<string>());
        Assert.Equal(0, (await scim.GetAsync("Users?count=0")).Json["totalResults"]!.GetValue<int>());

        var three = BulkTests.Bulk(null, [.. Enumerable.Range(0, 3).Select(i => BulkTests.Op("POST", "/Users", $"u{i}", BulkTests.User($"fits{i}@example.com")))]);
        (await scim.PostAsync("Bulk", three)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_body_sent_without_Content_Length_is_read_to_its_end_and_still_bounded()
    {
        var (_, scim) = await CreateAsync(server, "chunked");
        using var _scim = scim;
        var three = BulkTests.Bulk(null, [.. Enumerable.Range(0, 3).Select(i => BulkTests.Op("POST", "/Users", $"u{i}", BulkTests.User($"chunk{i}@example.com")))]);

        using var content = Chunked(three);
        Assert.Null(content.Headers.ContentLength);
        using (var response = await scim.Http.PostAsync("Bulk", content))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(3, (await scim.GetAsync("Users?count=0")).Json["totalResults"]!.GetValue<int>());

        var big = BulkTests.User("big@example.com");
        big["displayName"] = new string('x', 2500);
        using var tooBig = await scim.Http.PostAsync("Bulk", Chunked(BulkTests.Bulk(null, BulkTests.Op("POST", "/Users", "big", big))));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Contains("maxPayloadSize", (await tooBig.Content.ReadAsStringAsync()));
        Assert.Equal(3, (await scim.GetAsync("Users?count=0")).Json["totalResults"]!.GetValue<int>());
    }

    /// <summary>A body whose length the client does not know up front: HttpClient sends it chunked.</summary>
    private static StreamContent Chunked(JsonNode body)
    {
        var content = new StreamContent(new UnseekableStream(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/scim+json");
        return content;
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>Tiny limits, so caps and timeouts can be tested with a handful of resources.</summary>
internal static class SmallLimits
{
    public static readonly string[] Arguments =
    [
        "--Scim:MaxMembersReturned", "3",
        "--Scim:MaxMembersInList", "2",
        "--Scim:CursorTimeoutSeconds", "1",
        "--Scim:BulkMaxOperations", "3",
        "--Scim:BulkMaxPayloadBytes", "2000",
    ];
}

/// <summary>An embedded-mode server (SQLite) with <see cref="SmallLimits"/>.</summary>
public sealed class SmallLimitsSqliteFixture() : ScimServerFixture(ScimBackend.Sqlite, null)
{
    protected override string[] ExtraArguments => SmallLimits.Arguments;
}

/// <summary>A single-silo cluster-mode server (PostgreSQL) with <see cref="SmallLimits"/>.</summary>
public sealed class SmallLimitsPostgresFixture(PostgresServer postgres) : ScimServerFixture(ScimBackend.Postgres, postgres)
{
    protected override string[] ExtraArguments => SmallLimits.Arguments;
}

/// <summary><see cref="SmallLimitsTests"/> on the embedded host (SQLite).</summary>
public sealed class SmallLimitsTestsOnSqlite(SmallLimitsSqliteFixture fixture) : SmallLimitsTests(fixture), IClassFixture<SmallLimitsSqliteFixture>;

/// <summary><see cref="SmallLimitsTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class SmallLimitsTestsOnPostgres(SmallLimitsPostgresFixture fixture) : SmallLimitsTests(fixture), IClassFixture<SmallLimitsPostgresFixture>;
