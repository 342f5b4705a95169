using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>
/// Replays Okta's provisioning traffic (OIN and AIW profiles) and the checks of its SCIM 2.0 spec test suite.
/// </summary>
public abstract class OktaSequenceTests(ScimServerFixture fixture)
{
    private readonly ScimServer server = fixture.Server;

    [Fact]
    public async Task User_lifecycle_as_okta_sends_it()
    {
        using var scim = server.Client();
        var feed = new EventFeed(server.BaseAddress, ScimServer.Tenant, ScimServer.TenantToken);
        await feed.SkipToEndAsync();
        var userName = Payloads.Unique("okta") + "@example.com";

        // Test connector, then lookup before create.
        var probe = (await scim.GetAsync("Users?startIndex=1&count=2")).Expect(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, probe.Json["totalResults"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, probe.Json["startIndex"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, probe.Json["itemsPerPage"]!.GetValueKind());
        var lookup = (await scim.GetAsync($"Users?filter=userName eq \"{userName}\"&startIndex=1&count=100")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, lookup.Json["totalResults"]!.GetValue<int>());

        // Create with application/json, a password and groups: [].
        var created = (await scim.PostAsync("Users", Payloads.OktaUser(userName), "application/json")).Expect(HttpStatusCode.Created);
        var id = created.Id;
        Assert.True(created.Json["active"]!.GetValue<bool>());
        Assert.Null(created.Json["password"]);
        Assert.Contains("urn:ietf:params:scim:schemas:core:2.0:User", created.Json["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("application/scim+json", created.ContentType);
        var createdEvent = Assert.Single(await feed.ReadNewAsync());
        Assert.Null(createdEvent["data"]!["password"]);

        // Duplicate userName, in any case, is a 409 uniqueness; a filter in another case still finds it.
        Assert.Equal("uniqueness", (await scim.PostAsync("Users", Payloads.OktaUser(userName))).Expect(HttpStatusCode.Conflict).ScimType);
        Assert.Equal("uniqueness", (await scim.PostAsync("Users", Payloads.OktaUser(userName.ToUpperInvariant()))).Expect(HttpStatusCode.Conflict).ScimType);
        var upper = (await scim.GetAsync($"Users?filter=userName eq \"{userName.ToUpperInvariant()}\"")).Expect(HttpStatusCode.OK);
        Assert.Equal(id, upper.Json["Resources"]![0]!["id"]!.GetValue<string>());

        // Profile update: GET, then PUT the whole body back with id and meta, one field changed.
        var current = (await scim.GetAsync($"Users/{id}")).Expect(HttpStatusCode.OK).Json;
        current["name"]!["givenName"] = "Changed";
        var put = (await scim.PutAsync($"Users/{id}", current)).Expect(HttpStatusCode.OK);
        Assert.Equal("Changed", put.Json["name"]!["givenName"]!.GetValue<string>());
        Assert.Equal(id, put.Json["id"]!.GetValue<string>());
        Assert.Equal(["user.updated"], EventFeed.Types(await feed.ReadNewAsync()));

        // The same PUT again changes nothing.
        var again = (await scim.PutAsync($"Users/{id}", put.Json)).Expect(HttpStatusCode.OK);
        Assert.Equal(put.Json["meta"]!["version"]!.GetValue<string>(), again.Json["meta"]!["version"]!.GetValue<string>());
        Assert.Empty(await feed.ReadNewAsync());

        // OIN deactivation and reactivation: path-less replace.
        var off = (await scim.PatchAsync($"Users/{id}", ScimClient.PatchOp(("replace", null, new JsonObject { ["active"] = false })))).Expect(HttpStatusCode.OK);
        Assert.False(off.Json["active"]!.GetValue<bool>());
        var on = (await scim.PatchAsync($"Users/{id}", ScimClient.PatchOp(("replace", null, new JsonObject { ["active"] = true })))).Expect(HttpStatusCode.OK);
        Assert.True(on.Json["active"]!.GetValue<bool>());

        // AIW deactivation: GET + PUT with active false.
        var body = (await scim.GetAsync($"Users/{id}")).Expect(HttpStatusCode.OK).Json;
        body["active"] = false;
        var aiwOff = (await scim.PutAsync($"Users/{id}", body)).Expect(HttpStatusCode.OK);
        Assert.False(aiwOff.Json["active"]!.GetValue<bool>());
        Assert.Equal(["user.deactivated", "user.reactivated", "user.deactivated"], EventFeed.Types(await feed.ReadNewAsync()));

        // Still found by userName after deactivation (Okta reactivates by lookup, never re-creates).
        var found = (await scim.GetAsync($"Users?filter=userName eq \"{userName}\"")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, found.Json["totalResults"]!.GetValue<int>());
    }

    [Fact]
    public async Task Spec_test_error_checks()
    {
        using var scim = server.Client();
        var notFound = (await scim.GetAsync("Users/00919288221112222")).Expect(HttpStatusCode.NotFound);
        Assert.False(string.IsNullOrEmpty(notFound.Json["detail"]!.GetValue<string>()));
        (await scim.GetAsync($"Users/{Guid.NewGuid()}")).Expect(HttpStatusCode.NotFound);
        (await scim.GetAsync($"Groups/{Guid.NewGuid()}")).Expect(HttpStatusCode.NotFound);

        using var wrongToken = server.Client(token: "not-the-token");
        (await wrongToken.GetAsync("Users")).Expect(HttpStatusCode.Unauthorized);
        using var noToken = server.Client(token: null);
        (await noToken.GetAsync("Users")).Expect(HttpStatusCode.Unauthorized);
        using var unknownTenant = server.Client(tenant: "no-such-tenant");
        (await unknownTenant.GetAsync("Users")).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Group_push_with_oin_patch_and_aiw_put()
    {
        using var scim = server.Client();
        var u1 = (await scim.PostAsync("Users", Payloads.OktaUser(Payloads.Unique("g1") + "@example.com"))).Expect(HttpStatusCode.Created).Id;
        var u2 = (await scim.PostAsync("Users", Payloads.OktaUser(Payloads.Unique("g2") + "@example.com"))).Expect(HttpStatusCode.Created).Id;
        var u3 = (await scim.PostAsync("Users", Payloads.OktaUser(Payloads.Unique("g3") + "@example.com"))).Expect(HttpStatusCode.Created).Id;
        var name = Payloads.Unique("Okta Group");
        var created = (await scim.PostAsync("Groups", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = name,
            ["members"] = new JsonArray(),
        })).Expect(HttpStatusCode.Created);
        var groupId = created.Id;

        // OIN: rename (with the readOnly id inside the value) plus member changes in one request.
        (await scim.PatchAsync($"Groups/{groupId}", ScimClient.PatchOp(
            ("replace", null, new JsonObject { ["id"] = groupId, ["displayName"] = name + " v2" }),
            ("add", "members", new JsonArray(new JsonObject { ["value"] = u1, ["display"] = "u1" }, new JsonObject { ["value"] = u2, ["display"] = "u2" }))))).Expect(HttpStatusCode.NoContent);
        (await scim.PatchAsync($"Groups/{groupId}", ScimClient.PatchOp(
            ("replace", null, new JsonObject { ["id"] = groupId, ["displayName"] = name + " v2" }),
            ("remove", $"members[value eq \"{u1}\"]", null),
            ("add", "members", new JsonArray(new JsonObject { ["value"] = u3 }))))).Expect(HttpStatusCode.NoContent);
        var afterPatch = (await scim.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(name + " v2", afterPatch.Json["displayName"]!.GetValue<string>());
        Assert.Equal(new[] { u2, u3 }.Order(), EntraSequenceTests.MemberIds(afterPatch.Json).Order());

        // AIW: PUT with the full member list replaces it; PUT without members leaves them alone.
        var full = afterPatch.Json.DeepClone().AsObject();
        full["members"] = new JsonArray(new JsonObject { ["value"] = u1 }, new JsonObject { ["value"] = u3 });
        var replaced = (await scim.PutAsync($"Groups/{groupId}", full)).Expect(HttpStatusCode.OK);
        Assert.Equal(new[] { u1, u3 }.Order(), EntraSequenceTests.MemberIds(replaced.Json).Order());
        var rename = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = name + " v3",
        };
        var renamed = (await scim.PutAsync($"Groups/{groupId}", rename)).Expect(HttpStatusCode.OK);
        Assert.Equal(new[] { u1, u3 }.Order(), EntraSequenceTests.MemberIds(renamed.Json).Order());

        // Okta pages groups to cache them.
        var listed = (await scim.GetAsync("Groups?startIndex=1&count=100")).Expect(HttpStatusCode.OK);
        Assert.Contains(groupId, listed.Json["Resources"]!.AsArray().Select(g => g!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Paging_through_all_users_with_start_index_and_count_is_complete_and_stable()
    {
        // A tenant of its own, so the total is known.
        using var admin = server.AdminClient();
        var tenant = Payloads.Unique("paging").ToLowerInvariant();
        var createdTenant = await admin.PostAsJsonAsync("/admin/v1/tenants", new { id = tenant });
        Assert.Equal(HttpStatusCode.Created, createdTenant.StatusCode);
        var token = (await createdTenant.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        using var scim = server.Client(tenant, token);
        var ids = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            ids.Add((await scim.PostAsync("Users", Payloads.OktaUser($"page{i:00}@example.com"))).Expect(HttpStatusCode.Created).Id);
        }

        var seen = new List<string>();
        for (var start = 1; ; start += 5)
        {
            var page = (await scim.GetAsync($"Users?startIndex={start}&count=5")).Expect(HttpStatusCode.OK).Json;
            Assert.Equal(11, page["totalResults"]!.GetValue<int>());
            Assert.Equal(start, page["startIndex"]!.GetValue<int>());
            var resources = page["Resources"] as JsonArray ?? [];
            Assert.Equal(resources.Count, page["itemsPerPage"]!.GetValue<int>());
            seen.AddRange(resources.Select(r => r!["id"]!.GetValue<string>()));
            if (resources.Count < 5)
            {
                break;
            }
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(ids.Order(), seen.Order());
        var again = (await scim.GetAsync("Users?startIndex=6&count=5")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(seen.Skip(5).Take(5), again["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
    }
}

/// <summary><see cref="OktaSequenceTests"/> on the embedded host (SQLite).</summary>
public sealed class OktaSequenceTestsOnSqlite(SqliteServerFixture fixture) : OktaSequenceTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="OktaSequenceTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class OktaSequenceTestsOnPostgres(PostgresServerFixture fixture) : OktaSequenceTests(fixture), IClassFixture<PostgresServerFixture>;
