using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;
using static ScimOrleans.Silo.Tests.EndToEnd.TestTenants;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>POST /Bulk over HTTP: bulkId references, per-operation results, failOnErrors, cycles and bad input.</summary>
public abstract class BulkTests(ScimServerFixture fixture)
{
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private readonly ScimServer server = fixture.Server;

    [Fact]
    public async Task Bulk_resolves_bulkIds_in_paths_data_members_and_nested_values_even_before_they_are_defined()
    {
        var (_, scim) = await CreateAsync(server, "bulk");
        using var _scim = scim;
        var request = Bulk(
            null,
            // A forward reference: the group names users the request creates after it.
            Op("POST", "/Groups", "team", Payloads.Group("Team", "bulkId:alice", "bulkId:bob")),
            Op("POST", "/Users", "alice", User("alice@example.com")),
            Op("POST", "/Users", "bob", User("bob@example.com")),
            Op("PATCH", "/Users/bulkId:alice", null, ScimClient.PatchOp(("add", $"{Enterprise}:manager", new JsonObject { ["value"] = "bulkId:bob" }))),
            Op("PATCH", "/Groups/bulkId:team", null, ScimClient.PatchOp(("remove", "members[value eq \"bulkId:bob\"]", null))),
            Op("POST", "/Users", "temp", User("temp@example.com")),
            Op("DELETE", "/Users/bulkId:temp", null, null));

        var response = (await scim.PostAsync("Bulk", request)).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:BulkResponse", response["schemas"]![0]!.GetValue<string>());
        var results = response["Operations"]!.AsArray().Select(o => o!.AsObject()).ToList();
        Assert.Equal(["201", "201", "201", "200", "204", "201", "204"], results.Select(r => r["status"]!.GetValue<string>()));
        (await scim.GetAsync($"Users/{IdOf(results[5])}")).Expect(HttpStatusCode.NotFound);
        Assert.Null(results[6]["version"]);
        Assert.Equal(["team", "alice", "bob"], results.Take(3).Select(r => r["bulkId"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Null(r["response"]));
        Assert.All(results, r => Assert.StartsWith(scim.Http.BaseAddress!.ToString(), r["location"]!.GetValue<string>()));
        Assert.Equal("W/\"1\"", results[1]["version"]!.GetValue<string>());

        var groupId = IdOf(results[0]);
        var alice = IdOf(results[1]);
        var bob = IdOf(results[2]);
        var group = (await scim.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal([alice], group["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()));
        var aliceJson = (await scim.GetAsync($"Users/{alice}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(bob, aliceJson[Enterprise]!["manager"]!["value"]!.GetValue<string>());
        Assert.Equal(results[3]["version"]!.GetValue<string>(), aliceJson["meta"]!["version"]!.GetValue<string>());
        Assert.Equal(groupId, aliceJson["groups"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_failure_is_reported_with_its_status_and_scim_error_and_does_not_undo_the_others()
    {
        var (_, scim) = await CreateAsync(server, "bulkerr");
        using var _scim = scim;
        var existing = (await scim.PostAsync("Users", User("taken@example.com"))).Expect(HttpStatusCode.Created);
        var request = Bulk(
            null,
            Op("POST", "/Users", "dup", User("TAKEN@example.com")),
            Op("PATCH", "/Users/bulkId:dup", null, ScimClient.PatchOp(("replace", "title", "x"))),
            Op("POST", "/Users", "ok", User("fresh@example.com")),
            Op("PATCH", "/Users/bulkId:nowhere", null, ScimClient.PatchOp(("replace", "title", "x"))),
            Op("PUT", $"/Users/{existing.Id}", null, User("taken@example.com"), version: "W/\"7\""),
            Op("DELETE", "/Users/does-not-exist", null, null),
            Op("FETCH", "/Users", null, null),
            Op("POST", "/Widgets", "w", new JsonObject()),
            Op("POST", "/Users", "nouser", new JsonObject { ["displayName"] = "no userName" }),
            Op("PATCH", $"/Users/{existing.Id}", null, ScimClient.PatchOp(("replace", "title", "Kept")), version: existing.Headers.ETag!.ToString()),
            Op("POST", "/Users", "ok", User("second-ok@example.com")));

        var results = (await scim.PostAsync("Bulk", request)).Expect(HttpStatusCode.OK).Json["Operations"]!.AsArray().Select(o => o!.AsObject()).ToList();
        Assert.Equal(
            ["409", "409", "201", "400", "412", "404", "400", "400", "400", "200", "400"],
            results.Select(r => r["status"]!.GetValue<string>()));
        Assert.Equal("uniqueness", results[0]["response"]!["scimType"]!.GetValue<string>());
        Assert.Equal("409", results[0]["response"]!["status"]!.GetValue<string>());
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", results[0]["response"]!["schemas"]![0]!.GetValue<string>());
        Assert.Contains("dup", results[1]["response"]!["detail"]!.GetValue<string>());
        Assert.Equal("invalidValue", results[3]["response"]!["scimType"]!.GetValue<string>());
        Assert.EndsWith($"/Users/{existing.Id}", results[4]["location"]!.GetValue<string>());
        Assert.Equal("invalidValue", results[6]["response"]!["scimType"]!.GetValue<string>());
        Assert.Equal("invalidPath", results[7]["response"]!["scimType"]!.GetValue<string>());
        Assert.Equal("invalidValue", results[8]["response"]!["scimType"]!.GetValue<string>());
        Assert.Equal("invalidValue", results[10]["response"]!["scimType"]!.GetValue<string>());

        // What succeeded stayed: the fresh user exists, the PATCH with the right version applied.
        (await scim.GetAsync($"Users/{IdOf(results[2])}")).Expect(HttpStatusCode.OK);
        Assert.Equal("Kept", (await scim.GetAsync($"Users/{existing.Id}")).Json["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailOnErrors_stops_after_that_many_errors_and_reports_only_what_ran()
    {
        var (_, scim) = await CreateAsync(server, "bulkstop");
        using var _scim = scim;
        var request = Bulk(
            1,
            Op("DELETE", "/Users/missing", null, null),
            Op("POST", "/Users", "never", User("never@example.com")));

        var results = (await scim.PostAsync("Bulk", request)).Expect(HttpStatusCode.OK).Json["Operations"]!.AsArray();
        Assert.Single(results);
        Assert.Equal("404", results[0]!["status"]!.GetValue<string>());
        Assert.Equal(0, (await scim.GetAsync("Users?filter=userName eq \"never@example.com\"")).Json["totalResults"]!.GetValue<int>());

        var two = Bulk(
            2,
            Op("DELETE", "/Users/missing", null, null),
            Op("POST", "/Users", "runs", User("runs@example.com")),
            Op("DELETE", "/Users/missing-too", null, null),
            Op("POST", "/Users", "stops", User("stops@example.com")));
        var twoResults = (await scim.PostAsync("Bulk", two)).Expect(HttpStatusCode.OK).Json["Operations"]!.AsArray();
        Assert.Equal(["404", "201", "404"], twoResults.Select(r => r!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Circular_bulkId_references_are_rejected_with_409_and_the_rest_still_runs()
    {
        var (_, scim) = await CreateAsync(server, "bulkcycle");
        using var _scim = scim;
        var request = Bulk(
            null,
            Op("POST", "/Groups", "a", Payloads.Group("A", "bulkId:b")),
            Op("POST", "/Groups", "b", Payloads.Group("B", "bulkId:a")),
            Op("POST", "/Groups", "self", Payloads.Group("Self", "bulkId:self")),
            Op("PATCH", "/Groups/bulkId:a", null, ScimClient.PatchOp(("replace", "displayName", "A2"))),
            Op("POST", "/Users", "free", User("free@example.com")));

        var results = (await scim.PostAsync("Bulk", request)).Expect(HttpStatusCode.OK).Json["Operations"]!.AsArray().Select(o => o!.AsObject()).ToList();
        Assert.Equal(["409", "409", "409", "409", "201"], results.Select(r => r["status"]!.GetValue<string>()));
        Assert.Contains("circular", results[0]["response"]!["detail"]!.GetValue<string>());
        Assert.Equal(0, (await scim.GetAsync("Groups")).Json["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Independent_creates_run_concurrently_and_all_land_with_their_events()
    {
        var (tenant, scim) = await CreateAsync(server, "bulkmany");
        using var _scim = scim;
        var operations = Enumerable.Range(0, 60).Select(i => Op("POST", "/Users", $"u{i}", User($"many{i:00}@example.com"))).ToArray();
        var results = (await scim.PostAsync("Bulk", Bulk(null, operations))).Expect(HttpStatusCode.OK).Json["Operations"]!.AsArray();
        Assert.Equal(60, results.Count);
        Assert.All(results, r => Assert.Equal("201", r!["status"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"u{i}"), results.Select(r => r!["bulkId"]!.GetValue<string>()));
        Assert.Equal(60, (await scim.GetAsync("Users?count=0")).Json["totalResults"]!.GetValue<int>());

        var events = (await scim.Http.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{tenant}/events?limit=1000"))!["data"]!.AsArray();
        Assert.Equal(60, events.Count(e => e!["type"]!.GetValue<string>() == "user.created"));

        // Two creates of one userName in the same concurrent batch: exactly one wins.
        var twins = (await scim.PostAsync("Bulk", Bulk(null, Op("POST", "/Users", "a", User("twin@example.com")), Op("POST", "/Users", "b", User("TWIN@example.com")))))
            .Expect(HttpStatusCode.OK).Json["Operations"]!.AsArray();
        Assert.Equal(["201", "409"], twins.Select(r => r!["status"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Creates_spanning_several_chunks_report_each_failure_alone_and_land_as_single_creates_would()
    {
        var (tenant, scim) = await CreateAsync(server, "bulkchunks");
        using var _scim = scim;
        // 240 users (more than two chunks of the default 100), one without userName, one repeating an earlier name,
        // one with a password (hashed like a single create's); then 10 groups naming users by bulkId.
        var operations = new List<JsonObject>();
        for (var i = 0; i < 240; i++)
        {
            var user = i switch
            {
                17 => new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"), ["displayName"] = "no userName" },
                120 => User("chunk005@example.com".ToUpperInvariant()),
                _ => User($"chunk{i:000}@example.com"),
            };
            if (i == 3)
            {
                user["password"] = "S3cret-Pa55";
            }

            operations.Add(Op("POST", "/Users", $"u{i}", user));
        }

        for (var g = 0; g < 10; g++)
        {
            operations.Add(Op("POST", "/Groups", $"g{g}", Payloads.Group($"Chunk group {g}", "bulkId:u0", $"bulkId:u{g + 20}")));
        }

        var results = (await scim.PostAsync("Bulk", Bulk(null, [.. operations]))).Expect(HttpStatusCode.OK).Json["Operations"]!.AsArray()
            .Select(o => o!.AsObject()).ToList();

        Assert.Equal(250, results.Count);
        Assert.Equal(operations.Select(o => o["bulkId"]!.GetValue<string>()), results.Select(r => r["bulkId"]!.GetValue<string>()));
        Assert.Equal("400", results[17]["status"]!.GetValue<string>());
        Assert.Equal("invalidValue", results[17]["response"]!["scimType"]!.GetValue<string>());
        // Chunks run concurrently: which of two creates of one name wins is not the request's order, but one does.
        var twins = new[] { results[5], results[120] };
        Assert.Equal(["201", "409"], twins.Select(r => r["status"]!.GetValue<string>()).Order());
        Assert.Equal("uniqueness", twins.Single(r => r["status"]!.GetValue<string>() == "409")["response"]!["scimType"]!.GetValue<string>());
        Assert.All(results.Where((_, i) => i is not 5 and not 17 and not 120), r =>
        {
            Assert.Equal("201", r["status"]!.GetValue<string>());
            Assert.Equal("W/\"1\"", r["version"]!.GetValue<string>());
        });
        Assert.Equal(238, (await scim.GetAsync("Users?count=0")).Json["totalResults"]!.GetValue<int>());
        Assert.Equal(0, (await scim.GetAsync("Users?count=0&filter=displayName eq \"no userName\"")).Json["totalResults"]!.GetValue<int>());

        // A bulk-created resource is an ordinary one: readable at its location, patchable, in its groups.
        var firstId = IdOf(results[0]);
        var first = (await scim.GetAsync($"Users/{firstId}")).Expect(HttpStatusCode.OK);
        Assert.Equal("chunk000@example.com", first.Json["userName"]!.GetValue<string>());
        Assert.Equal(10, first.Json["groups"]!.AsArray().Count);
        Assert.Null(first.Json["password"]);
        (await scim.PatchAsync($"Users/{firstId}", ScimClient.PatchOp(("replace", "title", "Chunked")))).Expect(HttpStatusCode.OK);
        Assert.Equal("Chunked", (await scim.GetAsync($"Users/{firstId}")).Json["title"]!.GetValue<string>());
        var group = (await scim.GetAsync($"Groups/{IdOf(results[249])}")).Expect(HttpStatusCode.OK);
        var members = group.Json["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { firstId, IdOf(results[29]) }.Order(StringComparer.Ordinal), members);

        // Exactly one event per acknowledged create (and per edge), none for the two that failed.
        var events = (await scim.Http.GetFromJsonAsync<JsonObject>($"/api/v1/tenants/{tenant}/events?limit=1000"))!["data"]!.AsArray()
            .Select(e => e!["type"]!.GetValue<string>()).ToList();
        Assert.Equal(238, events.Count(t => t == "user.created"));
        Assert.Equal(10, events.Count(t => t == "group.created"));
        Assert.Equal(20, events.Count(t => t == "group.user_added"));
    }

    [Fact]
    public async Task A_bulk_request_that_is_not_one_is_rejected_whole()
    {
        var (_, scim) = await CreateAsync(server, "bulkbad");
        using var _scim = scim;
        Assert.Equal("invalidSyntax", (await scim.PostRawAsync("Bulk", "{oops")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidSyntax", (await scim.PostAsync("Bulk", new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:BulkRequest") })).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidSyntax", (await scim.PostAsync("Bulk", new JsonObject { ["schemas"] = new JsonArray("urn:x"), ["Operations"] = new JsonArray() })).Expect(HttpStatusCode.BadRequest).ScimType);
        var zero = Bulk(0);
        Assert.Equal("invalidValue", (await scim.PostAsync("Bulk", zero)).Expect(HttpStatusCode.BadRequest).ScimType);
        var empty = (await scim.PostAsync("Bulk", Bulk(null))).Expect(HttpStatusCode.OK).Json;
        Assert.Empty(empty["Operations"]!.AsArray());
        (await scim.GetAsync("Bulk")).Expect(HttpStatusCode.MethodNotAllowed);
    }

    internal static JsonObject Bulk(int? failOnErrors, params JsonObject[] operations)
    {
        var request = new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:BulkRequest") };
        if (failOnErrors is not null)
        {
            request["failOnErrors"] = failOnErrors;
        }

        request["Operations"] = new JsonArray([.. operations]);
        return request;
    }

    internal static JsonObject Op(string method, string path, string? bulkId, JsonObject? data, string? version = null)
    {
        var operation = new JsonObject { ["method"] = method, ["path"] = path };
        if (bulkId is not null)
        {
            operation["bulkId"] = bulkId;
        }

        if (version is not null)
        {
            operation["version"] = version;
        }

        if (data is not null)
        {
            operation["data"] = data;
        }

        return operation;
    }

    internal static JsonObject User(string userName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
    };

    private static string IdOf(JsonObject result) => result["location"]!.GetValue<string>().Split('/')[^1];
}

/// <summary><see cref="BulkTests"/> on the embedded host (SQLite).</summary>
public sealed class BulkTestsOnSqlite(SqliteServerFixture fixture) : BulkTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="BulkTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class BulkTestsOnPostgres(PostgresServerFixture fixture) : BulkTests(fixture), IClassFixture<PostgresServerFixture>;
