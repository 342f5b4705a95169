using System.Net;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;
using static ScimOrleans.Silo.Tests.EndToEnd.TestTenants;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>Filters, sorting, POST .search (per type and at the root) and attribute selection, over HTTP.</summary>
public abstract class QueryTests(ScimServerFixture fixture)
{
    private readonly ScimServer server = fixture.Server;

    [Fact]
    public async Task Search_by_post_answers_like_the_equivalent_get()
    {
        var (_, scim) = await CreateAsync(server, "search");
        using var _scim = scim;
        for (var i = 0; i < 6; i++)
        {
            await CreateUserAsync(scim, $"s{i}@example.com", displayName: i % 2 == 0 ? $"Even {i}" : null);
        }

        var viaGet = (await scim.GetAsync("Users?filter=displayName sw \"even\"&sortBy=userName&sortOrder=descending&startIndex=2&count=2&attributes=userName")).Expect(HttpStatusCode.OK).Json;
        var viaPost = (await scim.PostAsync("Users/.search", SearchRequest(
            ("filter", "displayName sw \"even\""),
            ("sortBy", "userName"),
            ("sortOrder", "descending"),
            ("startIndex", 2),
            ("count", 2),
            ("attributes", new JsonArray("userName"))))).Expect(HttpStatusCode.OK).Json;

        Assert.Equal(viaGet.ToJsonString(), viaPost.ToJsonString());
        Assert.Equal(3, viaPost["totalResults"]!.GetValue<int>());
        Assert.Equal(2, viaPost["startIndex"]!.GetValue<int>());
        var names = viaPost["Resources"]!.AsArray().Select(r => r!["userName"]!.GetValue<string>()).ToList();
        Assert.Equal(["s2@example.com", "s0@example.com"], names);
        Assert.All(viaPost["Resources"]!.AsArray(), r => Assert.Null(r!["displayName"]));

        var groupId = (await scim.PostAsync("Groups", Payloads.Group("Searchers"))).Expect(HttpStatusCode.Created).Id;
        var groups = (await scim.PostAsync("Groups/.search", SearchRequest(("filter", "displayName eq \"searchers\"")))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([groupId], Ids(groups));

        // A body is required and must be a SearchRequest; a bad filter is a filter error as on GET.
        Assert.Equal("invalidSyntax", (await scim.PostRawAsync("Users/.search", "{nope")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidSyntax", (await scim.PostAsync("Users/.search", new JsonObject { ["schemas"] = new JsonArray("urn:x") })).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidSyntax", (await scim.PostAsync("Users/.search", SearchRequest(("filter", 42)))).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidValue", (await scim.PostAsync("Users/.search", SearchRequest(("count", "many")))).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidFilter", (await scim.PostAsync("Users/.search", SearchRequest(("filter", "userName zz \"x\"")))).Expect(HttpStatusCode.BadRequest).ScimType);
        var empty = (await scim.PostAsync("Users/.search", SearchRequest(("filter", "userName eq \"nobody\"")))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(0, empty["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Root_search_lists_users_then_groups_in_a_stable_merged_order()
    {
        var (_, scim) = await CreateAsync(server, "root");
        using var _scim = scim;
        var users = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            users.Add(await CreateUserAsync(scim, $"r{i}@example.com", displayName: $"Team {i}"));
        }

        var groups = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            groups.Add((await scim.PostAsync("Groups", Payloads.Group($"Team G{i}", users[i]))).Expect(HttpStatusCode.Created).Id);
        }

        var all = (await scim.PostAsync(".search", SearchRequest())).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([.. users, .. groups], Ids(all));
        Assert.Equal(5, all["totalResults"]!.GetValue<int>());
        Assert.Equal(["User", "User", "User", "Group", "Group"], all["Resources"]!.AsArray().Select(r => r!["meta"]!["resourceType"]!.GetValue<string>()));

        // Pages cross the boundary between the types without losing or repeating anything.
        var seen = new List<string>();
        for (var start = 1; start <= 5; start += 2)
        {
            var page = (await scim.PostAsync(".search", SearchRequest(("startIndex", start), ("count", 2)))).Expect(HttpStatusCode.OK).Json;
            Assert.Equal(5, page["totalResults"]!.GetValue<int>());
            seen.AddRange(Ids(page));
        }

        Assert.Equal([.. users, .. groups], seen);

        // GET on the root is the same query; sorting applies within each type.
        var sorted = (await scim.GetAsync("?filter=displayName sw \"team\"&sortBy=displayName&sortOrder=descending")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([users[2], users[1], users[0], groups[1], groups[0]], Ids(sorted));

        // Attributes only one type has: the other type simply has no match.
        var onlyUsers = (await scim.PostAsync(".search", SearchRequest(("filter", "userName sw \"r1\"")))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([users[1]], Ids(onlyUsers));
        var onlyGroups = (await scim.PostAsync(".search", SearchRequest(("filter", $"members.value eq \"{users[0]}\"")))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([groups[0]], Ids(onlyGroups));
        var byUserName = (await scim.PostAsync(".search", SearchRequest(("sortBy", "userName"), ("sortOrder", "descending")))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([users[2], users[1], users[0], groups[0], groups[1]], Ids(byUserName));
        Assert.Equal("invalidFilter", (await scim.PostAsync(".search", SearchRequest(("filter", "noSuch eq \"x\"")))).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidValue", (await scim.PostAsync(".search", SearchRequest(("sortBy", "noSuch")))).Expect(HttpStatusCode.BadRequest).ScimType);

        // attributes are bound per type.
        var projected = (await scim.PostAsync(".search", SearchRequest(("attributes", new JsonArray("displayName"))))).Expect(HttpStatusCode.OK).Json;
        Assert.All(projected["Resources"]!.AsArray(), r =>
        {
            Assert.NotNull(r!["displayName"]);
            Assert.Null(r["userName"]);
            Assert.Null(r["members"]);
        });
    }

    [Fact]
    public async Task Sorting_by_singular_and_multi_valued_attributes_is_deterministic()
    {
        var (_, scim) = await CreateAsync(server, "sort");
        using var _scim = scim;
        var b = await CreateUserAsync(scim, "Bravo", displayName: "same", emails: [("work", "z@x.org", false), ("home", "a@x.org", true)]);
        var a = await CreateUserAsync(scim, "alpha", displayName: "Same", emails: [("work", "m@x.org", false)]);
        var c = await CreateUserAsync(scim, "charlie");
        var d = await CreateUserAsync(scim, "delta", displayName: "Other");

        Assert.Equal([a, b, c, d], await SortedAsync(scim, "userName"));
        Assert.Equal([d, c, b, a], await SortedAsync(scim, "userName", "descending"));
        // Equal keys (case-insensitively) keep creation order; missing values come last in both directions.
        Assert.Equal([d, b, a, c], await SortedAsync(scim, "displayName"));
        Assert.Equal([b, a, d, c], await SortedAsync(scim, "displayName", "descending"));
        // A multi-valued attribute sorts by its primary value (else its first).
        Assert.Equal([b, a, c, d], await SortedAsync(scim, "emails.value"));
        Assert.Equal([b, a, c, d], await SortedAsync(scim, "emails"));
        Assert.Equal([b, a, c, d], await SortedAsync(scim, "meta.created"));
        Assert.Equal([d, c, a, b], await SortedAsync(scim, "urn:ietf:params:scim:schemas:core:2.0:User:meta.lastModified", "DESCENDING"));

        Assert.Equal("invalidValue", (await scim.GetAsync("Users?sortBy=noSuchAttribute")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidValue", (await scim.GetAsync("Users?sortBy=name")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidValue", (await scim.GetAsync("Users?sortBy=userName&sortOrder=sideways")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidValue", (await scim.GetAsync("Users?sortBy=groups.value")).Expect(HttpStatusCode.BadRequest).ScimType);
    }

    [Fact]
    public async Task Filters_work_end_to_end_including_group_membership()
    {
        var (_, scim) = await CreateAsync(server, "filter");
        using var _scim = scim;
        var alice = await CreateUserAsync(scim, "alice@example.com", displayName: "Alice", emails: [("work", "Alice@Example.com", true)]);
        var bob = await CreateUserAsync(scim, "bob@example.com", emails: [("home", "bob@home.org", false)]);
        var carol = await CreateUserAsync(scim, "carol@example.com");
        var inner = (await scim.PostAsync("Groups", Payloads.Group("Inner", alice))).Expect(HttpStatusCode.Created).Id;
        var outer = (await scim.PostAsync("Groups", Payloads.Group("Outer", inner, bob))).Expect(HttpStatusCode.Created).Id;

        async Task<List<string>> Find(string filter) =>
            Ids((await scim.GetAsync("Users?filter=" + Uri.EscapeDataString(filter))).Expect(HttpStatusCode.OK).Json);

        Assert.Equal([alice, bob], await Find($"groups.value eq \"{outer}\""));
        Assert.Equal([alice], await Find($"groups[value eq \"{outer}\" and type eq \"indirect\"]"));
        Assert.Equal([alice], await Find($"groups.value eq \"{inner}\""));
        Assert.Equal([carol], await Find("not (groups pr)"));
        Assert.Equal([alice], await Find("emails[type eq \"work\" and value eq \"alice@example.COM\"]"));
        Assert.Equal([bob], await Find("emails.value ew \".org\" and not (displayName pr)"));
        Assert.Equal([alice, bob, carol], await Find("userName co \"@EXAMPLE\" or externalId pr"));
        Assert.Equal([bob, carol], await Find($"meta.created gt \"2000-01-01T00:00:00Z\" and not (id eq \"{alice}\")"));
        Assert.Equal([outer], Ids((await scim.GetAsync($"Groups?filter=members.value eq \"{bob}\"")).Expect(HttpStatusCode.OK).Json));
        Assert.Empty(await Find("userName eq \"nobody\""));
        Assert.Equal("invalidFilter", (await scim.GetAsync("Users?filter=" + Uri.EscapeDataString("password eq \"x\""))).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidFilter", (await scim.GetAsync("Users?filter=" + Uri.EscapeDataString("groups.$ref eq \"x\""))).Expect(HttpStatusCode.BadRequest).ScimType);
    }

    [Fact]
    public async Task Attribute_selection_applies_to_every_response_and_honours_returned()
    {
        var (_, scim) = await CreateAsync(server, "attrs");
        using var _scim = scim;
        var body = Payloads.OktaUser("attrs@example.com");

        var created = (await scim.PostAsync("Users?attributes=userName", body)).Expect(HttpStatusCode.Created).Json;
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(["id", "schemas", "userName"], created.Select(p => p.Key).Order());
        Assert.Null(created["password"]);

        var excluded = (await scim.GetAsync($"Users/{id}?excludedAttributes=emails,name,meta")).Expect(HttpStatusCode.OK).Json;
        Assert.Null(excluded["emails"]);
        Assert.Null(excluded["name"]);
        Assert.Null(excluded["meta"]);
        Assert.NotNull(excluded["userName"]);
        Assert.NotNull(excluded["id"]);
        Assert.Null(excluded["password"]);

        // returned=never stays hidden even when asked for; returned=always (id) shows even when excluded.
        var asked = (await scim.GetAsync($"Users/{id}?attributes=password,displayName")).Expect(HttpStatusCode.OK).Json;
        Assert.Null(asked["password"]);
        Assert.Equal("Okta Person", asked["displayName"]!.GetValue<string>());
        Assert.NotNull((await scim.GetAsync($"Users/{id}?excludedAttributes=id")).Json["id"]);

        body["displayName"] = "Put Person";
        var put = (await scim.PutAsync($"Users/{id}?attributes=displayName", body)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Put Person", put["displayName"]!.GetValue<string>());
        Assert.Null(put["userName"]);

        var patched = (await scim.PatchAsync($"Users/{id}?excludedAttributes=displayName,emails", ScimClient.PatchOp(("replace", "title", "Boss")))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Boss", patched["title"]!.GetValue<string>());
        Assert.Null(patched["displayName"]);
        Assert.Null(patched["emails"]);

        var listed = (await scim.GetAsync("Users?attributes=name.givenName")).Expect(HttpStatusCode.OK).Json;
        var only = listed["Resources"]![0]!.AsObject();
        Assert.Equal("Okta", only["name"]!["givenName"]!.GetValue<string>());
        Assert.Null(only["name"]!["familyName"]);
        Assert.Null(only["userName"]);

        // Groups: PATCH answers 204 unless a representation is asked for; members only when returned.
        var group = (await scim.PostAsync("Groups?excludedAttributes=members", Payloads.Group("Attrs", id))).Expect(HttpStatusCode.Created).Json;
        Assert.Null(group["members"]);
        var groupId = group["id"]!.GetValue<string>();
        var noContent = await scim.PatchAsync($"Groups/{groupId}", ScimClient.PatchOp(("replace", "displayName", "Attrs 2")));
        Assert.Equal(HttpStatusCode.NoContent, noContent.Status);
        Assert.NotNull(noContent.Headers.ETag);
        var withBody = (await scim.PatchAsync($"Groups/{groupId}?attributes=displayName", ScimClient.PatchOp(("replace", "displayName", "Attrs 3")))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Attrs 3", withBody["displayName"]!.GetValue<string>());
        Assert.Null(withBody["members"]);
        var withMembers = (await scim.GetAsync($"Groups/{groupId}?attributes=members")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(id, withMembers["members"]![0]!["value"]!.GetValue<string>());
        Assert.Null(withMembers["displayName"]);
        var user = (await scim.GetAsync($"Users/{id}?attributes=groups")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(groupId, user["groups"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Etags_are_advertised_and_guard_every_write()
    {
        var (_, scim) = await CreateAsync(server, "etags");
        using var _scim = scim;
        var config = (await scim.GetAsync("ServiceProviderConfig")).Expect(HttpStatusCode.OK).Json;
        Assert.True(config["etag"]!["supported"]!.GetValue<bool>());

        var created = (await scim.PostAsync("Users", Payloads.OktaUser("etag@example.com"))).Expect(HttpStatusCode.Created);
        var v1 = created.Headers.ETag!.ToString();
        Assert.Equal(v1, created.Json["meta"]!["version"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotModified, (await scim.GetAsync($"Users/{created.Id}", [new("If-None-Match", v1)])).Status);
        (await scim.GetAsync($"Users/{created.Id}", [new("If-None-Match", "W/\"999\"")])).Expect(HttpStatusCode.OK);

        var body = Payloads.OktaUser("etag@example.com");
        var v2 = (await scim.PutAsync($"Users/{created.Id}", body, [new("If-Match", v1)])).Expect(HttpStatusCode.OK).Headers.ETag!.ToString();
        (await scim.PutAsync($"Users/{created.Id}", body, [new("If-Match", v1)])).Expect(HttpStatusCode.PreconditionFailed);
        (await scim.PatchAsync($"Users/{created.Id}", ScimClient.PatchOp(("replace", "title", "x")), [new("If-Match", v1)])).Expect(HttpStatusCode.PreconditionFailed);
        (await scim.DeleteAsync($"Users/{created.Id}", [new("If-Match", v1)])).Expect(HttpStatusCode.PreconditionFailed);
        (await scim.PatchAsync($"Users/{created.Id}", ScimClient.PatchOp(("replace", "title", "x")), [new("If-Match", "*")])).Expect(HttpStatusCode.OK);
        Assert.NotEqual(v2, (await scim.GetAsync($"Users/{created.Id}")).Headers.ETag!.ToString());

        var group = (await scim.PostAsync("Groups", Payloads.Group("Etag group"))).Expect(HttpStatusCode.Created);
        var g1 = group.Headers.ETag!.ToString();
        (await scim.PatchAsync($"Groups/{group.Id}", ScimClient.PatchOp(("replace", "displayName", "Etag 2")), [new("If-Match", g1)])).Expect(HttpStatusCode.NoContent);
        (await scim.PatchAsync($"Groups/{group.Id}", ScimClient.PatchOp(("replace", "displayName", "Etag 3")), [new("If-Match", g1)])).Expect(HttpStatusCode.PreconditionFailed);
        (await scim.DeleteAsync($"Groups/{group.Id}", [new("If-Match", g1)])).Expect(HttpStatusCode.PreconditionFailed);
    }

    internal static async Task<string> CreateUserAsync(
        ScimClient scim, string userName, string? displayName = null, (string Type, string Value, bool Primary)[]? emails = null)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = userName,
        };
        if (displayName is not null)
        {
            body["displayName"] = displayName;
        }

        if (emails is not null)
        {
            body["emails"] = new JsonArray([.. emails.Select(e => (JsonNode)new JsonObject { ["type"] = e.Type, ["value"] = e.Value, ["primary"] = e.Primary })]);
        }

        var created = (await scim.PostAsync("Users", body)).Expect(HttpStatusCode.Created);

        // meta.created has millisecond precision and equal times tie-break by id (a random GUID): the tests here read
        // creation order, so the next create must land in a later millisecond than this one.
        var at = DateTimeOffset.Parse(created.Json["meta"]!["created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        while (DateTimeOffset.UtcNow <= at.AddMilliseconds(1))
        {
            await Task.Delay(1);
        }

        return created.Id;
    }

    private static async Task<List<string>> SortedAsync(ScimClient scim, string sortBy, string? sortOrder = null) =>
        Ids((await scim.GetAsync($"Users?sortBy={Uri.EscapeDataString(sortBy)}" + (sortOrder is null ? "" : "&sortOrder=" + sortOrder))).Expect(HttpStatusCode.OK).Json);
}

/// <summary><see cref="QueryTests"/> on the embedded host (SQLite).</summary>
public sealed class QueryTestsOnSqlite(SqliteServerFixture fixture) : QueryTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="QueryTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class QueryTestsOnPostgres(PostgresServerFixture fixture) : QueryTests(fixture), IClassFixture<PostgresServerFixture>;
