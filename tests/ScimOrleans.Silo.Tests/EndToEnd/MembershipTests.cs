using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimOrleans.Grains.Membership;
using ScimOrleans.Silo.Tests.Infrastructure;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>The membership policy, nested groups and the concurrency guarantees of the group grain.</summary>
public abstract class MembershipTests(ScimServerFixture fixture)
{
    private readonly ScimServer server = fixture.Server;

    [Fact]
    public async Task Keep_memberships_policy_leaves_a_deactivated_user_in_its_groups()
    {
        var (tenant, token) = await NewTenantAsync();
        using var admin = server.AdminClient();
        var policy = await admin.PutAsJsonAsync($"/admin/v1/tenants/{tenant}/policy", new { membershipPolicy = "keepMemberships" });
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        using var scim = server.Client(tenant, token);
        var user = (await scim.PostAsync("Users", Payloads.OktaUser("keep@example.com"))).Expect(HttpStatusCode.Created).Id;
        var group = (await scim.PostAsync("Groups", Payloads.Group("Keepers", user))).Expect(HttpStatusCode.Created).Id;

        var deactivated = (await scim.PatchAsync($"Users/{user}", ScimClient.PatchOp(("replace", "active", false)))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([group], deactivated["groups"]!.AsArray().Select(g => g!["value"]!.GetValue<string>()));

        var members = EntraSequenceTests.MemberIds((await scim.GetAsync($"Groups/{group}")).Expect(HttpStatusCode.OK).Json);
        Assert.Equal([user], members);
        var events = await new EventFeed(server.BaseAddress, tenant, token).ReadNewAsync();
        Assert.Equal(["user.created", "group.created", "group.user_added", "user.deactivated"], EventFeed.Types(events));
    }

    [Fact]
    public async Task A_day_one_sync_leaves_users_groups_in_memory_so_reads_walk_no_edges()
    {
        var (tenant, token) = await NewTenantAsync();
        using var scim = server.Client(tenant, token);
        var cache = server.Services.GetRequiredService<UserGroupsCache>();
        var misses = cache.Counts.Misses;

        // Entra's order: users, then empty groups, then members one PATCH at a time.
        var alice = (await scim.PostAsync("Users", Payloads.EntraUser("alice.day1@example.com", "alice-day1"))).Expect(HttpStatusCode.Created).Id;
        var bob = (await scim.PostAsync("Users", Payloads.EntraUser("bob.day1@example.com", "bob-day1"))).Expect(HttpStatusCode.Created).Id;
        var staff = (await scim.PostAsync("Groups", Payloads.Group("Staff"))).Expect(HttpStatusCode.Created).Id;
        var admins = (await scim.PostAsync("Groups", Payloads.Group("Admins"))).Expect(HttpStatusCode.Created).Id;
        foreach (var (group, user) in new[] { (staff, alice), (staff, bob), (admins, alice) })
        {
            (await scim.PatchAsync($"Groups/{group}", ScimClient.PatchOp(("Add", "members", Payloads.MemberValues(user))))).Expect(HttpStatusCode.NoContent);
        }

        var aliceGroups = (await scim.GetAsync($"Users/{alice}")).Expect(HttpStatusCode.OK).Json["groups"]!.AsArray();
        Assert.Equal(
            new[] { staff, admins }.Order(StringComparer.Ordinal),
            aliceGroups.Select(g => g!["value"]!.GetValue<string>()));
        Assert.All(aliceGroups, g => Assert.Equal("direct", g!["type"]!.GetValue<string>()));
        Assert.Equal("Staff", Assert.Single((await scim.GetAsync($"Users/{bob}")).Expect(HttpStatusCode.OK).Json["groups"]!.AsArray())!["display"]!.GetValue<string>());
        Assert.Equal(misses, cache.Counts.Misses);
    }

    [Fact]
    public async Task Deactivation_by_full_put_applies_the_default_policy_atomically()
    {
        var (tenant, token) = await NewTenantAsync();
        using var scim = server.Client(tenant, token);
        var user = (await scim.PostAsync("Users", Payloads.OktaUser("put@example.com"))).Expect(HttpStatusCode.Created);
        var g1 = (await scim.PostAsync("Groups", Payloads.Group("One", user.Id))).Expect(HttpStatusCode.Created).Id;
        var g2 = (await scim.PostAsync("Groups", Payloads.Group("Two", user.Id))).Expect(HttpStatusCode.Created).Id;
        var g1Version = (await scim.GetAsync($"Groups/{g1}")).Json["meta"]!["version"]!.GetValue<string>();

        var body = (await scim.GetAsync($"Users/{user.Id}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(2, body["groups"]!.AsArray().Count);
        body["active"] = false;
        var deactivated = (await scim.PutAsync($"Users/{user.Id}", body)).Expect(HttpStatusCode.OK).Json;
        Assert.Null(deactivated["groups"]);
        Assert.Null((await scim.GetAsync($"Users/{user.Id}")).Expect(HttpStatusCode.OK).Json["groups"]);

        Assert.Empty(EntraSequenceTests.MemberIds((await scim.GetAsync($"Groups/{g1}")).Json));
        Assert.Empty(EntraSequenceTests.MemberIds((await scim.GetAsync($"Groups/{g2}")).Json));
        // The groups changed, so their versions moved even though no request touched them directly.
        Assert.NotEqual(g1Version, (await scim.GetAsync($"Groups/{g1}")).Json["meta"]!["version"]!.GetValue<string>());
        var events = EventFeed.Types(await new EventFeed(server.BaseAddress, tenant, token).ReadNewAsync()).ToList();
        Assert.Equal(2, events.Count(e => e == "group.user_removed"));
        Assert.Single(events, e => e == "user.deactivated");
    }

    [Fact]
    public async Task Nested_groups_show_as_direct_and_indirect_on_the_user()
    {
        var (tenant, token) = await NewTenantAsync();
        using var scim = server.Client(tenant, token);
        var user = (await scim.PostAsync("Users", Payloads.OktaUser("nested@example.com"))).Expect(HttpStatusCode.Created).Id;
        var inner = (await scim.PostAsync("Groups", Payloads.Group("Inner", user))).Expect(HttpStatusCode.Created).Id;
        var outer = (await scim.PostAsync("Groups", Payloads.Group("Outer", inner))).Expect(HttpStatusCode.Created).Id;

        var outerGroup = (await scim.GetAsync($"Groups/{outer}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Group", outerGroup["members"]![0]!["type"]!.GetValue<string>());
        var groups = (await scim.GetAsync($"Users/{user}")).Expect(HttpStatusCode.OK).Json["groups"]!.AsArray();
        var byId = groups.ToDictionary(g => g!["value"]!.GetValue<string>(), g => g!["type"]!.GetValue<string>());
        Assert.Equal("direct", byId[inner]);
        Assert.Equal("indirect", byId[outer]);

        (await scim.DeleteAsync($"Groups/{inner}")).Expect(HttpStatusCode.NoContent);
        Assert.Empty(EntraSequenceTests.MemberIds((await scim.GetAsync($"Groups/{outer}")).Json));
        Assert.Null((await scim.GetAsync($"Users/{user}")).Json["groups"]);
    }

    [Fact]
    public async Task A_list_page_shows_each_users_direct_and_indirect_groups()
    {
        var (tenant, token) = await NewTenantAsync();
        using var scim = server.Client(tenant, token);
        var created = (await scim.PostAsync("Users", Payloads.OktaUser("page-a@example.com"))).Expect(HttpStatusCode.Created);
        // A brand-new user's response has no groups.
        Assert.Null(created.Json["groups"]);
        var a = created.Id;
        var b = (await scim.PostAsync("Users", Payloads.OktaUser("page-b@example.com"))).Expect(HttpStatusCode.Created).Id;
        var c = (await scim.PostAsync("Users", Payloads.OktaUser("page-c@example.com"))).Expect(HttpStatusCode.Created).Id;
        var lone = (await scim.PostAsync("Users", Payloads.OktaUser("page-lone@example.com"))).Expect(HttpStatusCode.Created).Id;
        var inner = (await scim.PostAsync("Groups", Payloads.Group("Inner", a))).Expect(HttpStatusCode.Created).Id;
        var outer = (await scim.PostAsync("Groups", Payloads.Group("Outer", inner, b))).Expect(HttpStatusCode.Created).Id;
        var top = (await scim.PostAsync("Groups", Payloads.Group("Top", outer))).Expect(HttpStatusCode.Created).Id;
        var side = (await scim.PostAsync("Groups", Payloads.Group("Side", c, a))).Expect(HttpStatusCode.Created).Id;
        // Top becomes a member of Inner, closing the cycle Inner -> Outer -> Top -> Inner.
        (await scim.PatchAsync($"Groups/{inner}", ScimClient.PatchOp(("add", "members", Payloads.MemberValues(top))))).Expect(HttpStatusCode.NoContent);

        var expected = new Dictionary<string, Dictionary<string, string>>
        {
            [a] = new() { [inner] = "direct", [side] = "direct", [outer] = "indirect", [top] = "indirect" },
            [b] = new() { [outer] = "direct", [top] = "indirect", [inner] = "indirect" },
            [c] = new() { [side] = "direct" },
            [lone] = [],
        };

        // Every listing form: GET /Users, POST /Users/.search, the root (Users then Groups), and a GET by id.
        foreach (var page in new[]
        {
            (await scim.GetAsync("Users?count=100")).Expect(HttpStatusCode.OK).Json,
            (await scim.PostAsync("Users/.search", TestTenants.SearchRequest(("count", 100)))).Expect(HttpStatusCode.OK).Json,
            (await scim.GetAsync("?count=100")).Expect(HttpStatusCode.OK).Json,
        })
        {
            var users = page["Resources"]!.AsArray().Select(r => r!.AsObject()).Where(r => r["userName"] is not null).ToList();
            Assert.Equal(expected.Keys.Order(), users.Select(u => u["id"]!.GetValue<string>()).Order());
            foreach (var user in users)
            {
                Assert.Equal(expected[user["id"]!.GetValue<string>()], GroupTypes(user));
            }
        }

        foreach (var (id, groups) in expected)
        {
            Assert.Equal(groups, GroupTypes((await scim.GetAsync($"Users/{id}")).Expect(HttpStatusCode.OK).Json));
        }

        // Filtered lists (an IdP's lookups, answered from the silo's groups cache) show the same groups, and follow a
        // membership change at once.
        var userNames = new Dictionary<string, string>
        {
            [a] = "page-a@example.com", [b] = "page-b@example.com", [c] = "page-c@example.com", [lone] = "page-lone@example.com",
        };
        foreach (var (id, groups) in expected)
        {
            Assert.Equal(groups, GroupTypes(await LookupAsync(userNames[id])));
        }

        var filtered = (await scim.GetAsync("Users?filter=userName sw \"page-\"")).Expect(HttpStatusCode.OK).Json["Resources"]!.AsArray();
        Assert.Equal(expected.Count, filtered.Count);
        Assert.All(filtered, user => Assert.Equal(expected[user!["id"]!.GetValue<string>()], GroupTypes(user.AsObject())));

        (await scim.PatchAsync($"Groups/{side}", ScimClient.PatchOp(("remove", $"members[value eq \"{c}\"]", null)))).Expect(HttpStatusCode.NoContent);
        Assert.Empty(GroupTypes(await LookupAsync(userNames[c])));
        (await scim.PatchAsync($"Groups/{side}", ScimClient.PatchOp(("add", "members", Payloads.MemberValues(c))))).Expect(HttpStatusCode.NoContent);
        Assert.Equal(new Dictionary<string, string> { [side] = "direct" }, GroupTypes(await LookupAsync(userNames[c])));

        // Without groups in the selection, the page shows none.
        var narrow = (await scim.GetAsync("Users?attributes=userName")).Expect(HttpStatusCode.OK).Json;
        Assert.All(narrow["Resources"]!.AsArray(), r => Assert.Null(r!["groups"]));
        var excluded = (await scim.GetAsync("Users?excludedAttributes=groups")).Expect(HttpStatusCode.OK).Json;
        Assert.All(excluded["Resources"]!.AsArray(), r => Assert.Null(r!["groups"]));

        async Task<JsonObject> LookupAsync(string userName)
        {
            var found = (await scim.GetAsync($"Users?filter=userName eq \"{userName}\"")).Expect(HttpStatusCode.OK).Json["Resources"]!.AsArray();
            return Assert.Single(found)!.AsObject();
        }

        static Dictionary<string, string> GroupTypes(JsonObject user) =>
            user["groups"] is JsonArray groups
                ? groups.ToDictionary(g => g!["value"]!.GetValue<string>(), g => g!["type"]!.GetValue<string>())
                : [];
    }

    [Fact]
    public async Task A_list_page_shows_each_groups_members_as_the_group_itself_does()
    {
        var (tenant, token) = await NewTenantAsync();
        using var scim = server.Client(tenant, token);
        var users = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            // Every other user has a displayName, so both kinds of display value show.
            users.Add(await QueryTests.CreateUserAsync(scim, $"lm{i}@example.com", displayName: i % 2 == 0 ? $"List Member {i}" : null));
        }

        var inner = (await scim.PostAsync("Groups", Payloads.Group("Inner", users[0], users[1]))).Expect(HttpStatusCode.Created).Id;
        var outer = (await scim.PostAsync("Groups", Payloads.Group("Outer", inner, users[2], users[3], users[4]))).Expect(HttpStatusCode.Created).Id;
        var pair = (await scim.PostAsync("Groups", Payloads.Group("Pair", users[4], users[1]))).Expect(HttpStatusCode.Created).Id;
        var empty = (await scim.PostAsync("Groups", Payloads.Group("Empty"))).Expect(HttpStatusCode.Created).Id;
        string[] groups = [inner, outer, pair, empty];

        // The reference is each group's own response.
        var expected = new Dictionary<string, JsonObject>();
        foreach (var id in groups)
        {
            expected[id] = (await scim.GetAsync($"Groups/{id}")).Expect(HttpStatusCode.OK).Json;
        }

        Assert.Equal(new[] { inner, users[2], users[3], users[4] }.Order(StringComparer.Ordinal), EntraSequenceTests.MemberIds(expected[outer]));
        var nested = expected[outer]["members"]!.AsArray().Single(m => m!["value"]!.GetValue<string>() == inner)!;
        Assert.Equal(("Group", "Inner"), (nested["type"]!.GetValue<string>(), nested["display"]!.GetValue<string>()));
        Assert.Equal(new[] { users[1], users[4] }.Order(StringComparer.Ordinal), EntraSequenceTests.MemberIds(expected[pair]));
        Assert.Null(expected[empty]["members"]);

        // Every listing form, whole and in pages: GET /Groups, POST /Groups/.search, the root (Users then Groups, so a
        // page can hold both), index pages and a cursor walk.
        List<List<JsonObject>> listings =
        [
            Resources((await scim.GetAsync("Groups?count=100")).Expect(HttpStatusCode.OK).Json),
            Resources((await scim.PostAsync("Groups/.search", TestTenants.SearchRequest(("count", 100)))).Expect(HttpStatusCode.OK).Json),
            Resources((await scim.GetAsync("?count=100")).Expect(HttpStatusCode.OK).Json),
            [
                .. Resources((await scim.GetAsync("Groups?startIndex=1&count=3")).Expect(HttpStatusCode.OK).Json),
                .. Resources((await scim.GetAsync("Groups?startIndex=4&count=3")).Expect(HttpStatusCode.OK).Json),
            ],
            [
                .. Resources((await scim.PostAsync(".search", TestTenants.SearchRequest(("startIndex", 1), ("count", 5)))).Expect(HttpStatusCode.OK).Json),
                .. Resources((await scim.PostAsync(".search", TestTenants.SearchRequest(("startIndex", 6), ("count", 5)))).Expect(HttpStatusCode.OK).Json),
            ],
        ];
        var walked = new List<JsonObject>();
        var page = (await scim.GetAsync("Groups?cursor=&count=3")).Expect(HttpStatusCode.OK).Json;
        walked.AddRange(Resources(page));
        while (page["nextCursor"] is { } next)
        {
            page = (await scim.GetAsync($"Groups?cursor={next.GetValue<string>()}&count=3")).Expect(HttpStatusCode.OK).Json;
            walked.AddRange(Resources(page));
        }

        listings.Add(walked);
        foreach (var listing in listings)
        {
            var listed = listing.Where(r => r["meta"]!["resourceType"]!.GetValue<string>() == "Group").ToList();
            Assert.Equal(groups.Order(StringComparer.Ordinal), listed.Select(g => g["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            foreach (var group in listed)
            {
                Assert.Equal(expected[group["id"]!.GetValue<string>()]["members"]?.ToJsonString(), group["members"]?.ToJsonString());
            }
        }

        // Without members in the selection, the page shows none.
        foreach (var narrow in new[]
        {
            (await scim.GetAsync("Groups?excludedAttributes=members")).Expect(HttpStatusCode.OK).Json,
            (await scim.PostAsync("Groups/.search", TestTenants.SearchRequest(("excludedAttributes", new JsonArray("members"))))).Expect(HttpStatusCode.OK).Json,
            (await scim.GetAsync("Groups?attributes=displayName")).Expect(HttpStatusCode.OK).Json,
            (await scim.GetAsync("?excludedAttributes=members")).Expect(HttpStatusCode.OK).Json,
        })
        {
            Assert.Subset(TestTenants.Ids(narrow).ToHashSet(), groups.ToHashSet());
            Assert.All(Resources(narrow), r => Assert.Null(r["members"]));
        }

        static List<JsonObject> Resources(JsonObject listResponse) =>
            [.. listResponse["Resources"]!.AsArray().Select(r => r!.AsObject())];
    }

    [Fact]
    public async Task Adding_a_member_that_does_not_exist_is_rejected_without_partial_writes()
    {
        var (tenant, token) = await NewTenantAsync();
        using var scim = server.Client(tenant, token);
        var user = (await scim.PostAsync("Users", Payloads.OktaUser("real@example.com"))).Expect(HttpStatusCode.Created).Id;
        var group = (await scim.PostAsync("Groups", Payloads.Group("Real"))).Expect(HttpStatusCode.Created).Id;

        var response = (await scim.PatchAsync($"Groups/{group}", ScimClient.PatchOp(
            ("add", "members", Payloads.MemberValues(user, Guid.NewGuid().ToString())),
            ("replace", "displayName", "Renamed")))).Expect(HttpStatusCode.BadRequest);

        Assert.Equal("invalidValue", response.ScimType);
        var after = (await scim.GetAsync($"Groups/{group}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Real", after["displayName"]!.GetValue<string>());
        Assert.Empty(EntraSequenceTests.MemberIds(after));
    }

    [Fact]
    public async Task Fifty_concurrent_patches_adding_distinct_members_all_land()
    {
        var (tenant, token) = await NewTenantAsync();
        using var scim = server.Client(tenant, token);
        var group = (await scim.PostAsync("Groups", Payloads.Group("Busy"))).Expect(HttpStatusCode.Created).Id;
        var users = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
            (await scim.PostAsync("Users", Payloads.OktaUser($"busy{i}@example.com"))).Expect(HttpStatusCode.Created).Id));

        var responses = await Task.WhenAll(users.Select(u =>
            scim.PatchAsync($"Groups/{group}", ScimClient.PatchOp(("add", "members", Payloads.MemberValues(u))))));

        Assert.All(responses, r => r.Expect(HttpStatusCode.NoContent));
        var members = EntraSequenceTests.MemberIds((await scim.GetAsync($"Groups/{group}")).Expect(HttpStatusCode.OK).Json);
        Assert.Equal(users.Order(), members.Order());
        var events = EventFeed.Types(await new EventFeed(server.BaseAddress, tenant, token).ReadNewAsync());
        Assert.Equal(50, events.Count(e => e == "group.user_added"));
    }

    [Fact]
    public async Task Twenty_concurrent_creates_of_one_user_name_give_one_201_and_nineteen_409()
    {
        var (tenant, token) = await NewTenantAsync();
        using var scim = server.Client(tenant, token);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            scim.PostAsync("Users", Payloads.OktaUser(i % 2 == 0 ? "Race@Example.com" : "race@example.com"))));

        Assert.Single(responses, r => r.Status == HttpStatusCode.Created);
        Assert.Equal(19, responses.Count(r => r.Status == HttpStatusCode.Conflict && r.ScimType == "uniqueness"));
        var listed = (await scim.GetAsync("Users?filter=userName eq \"race@example.com\"")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(1, listed["totalResults"]!.GetValue<int>());
    }

    private async Task<(string Tenant, string Token)> NewTenantAsync()
    {
        using var admin = server.AdminClient();
        var tenant = Payloads.Unique("m").ToLowerInvariant();
        var response = await admin.PostAsJsonAsync("/admin/v1/tenants", new { id = tenant });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (tenant, body["token"]!.GetValue<string>());
    }
}

/// <summary><see cref="MembershipTests"/> on the embedded host (SQLite).</summary>
public sealed class MembershipTestsOnSqlite(SqliteServerFixture fixture) : MembershipTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="MembershipTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class MembershipTestsOnPostgres(PostgresServerFixture fixture) : MembershipTests(fixture), IClassFixture<PostgresServerFixture>;
