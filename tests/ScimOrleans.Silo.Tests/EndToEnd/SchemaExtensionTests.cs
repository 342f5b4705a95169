using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;
using static ScimOrleans.Silo.Tests.EndToEnd.TestTenants;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>Per-tenant custom schema extensions: the admin API, discovery, validation, filtering, sorting and PATCH.</summary>
public abstract class SchemaExtensionTests(ScimServerFixture fixture)
{
    internal const string GroupExtension = "urn:example:params:scim:schemas:extension:acme:2.0:Group";
    private const string UserExtension = "urn:example:params:scim:schemas:extension:acme:2.0:User";
    private readonly ScimServer server = fixture.Server;

    /// <summary>The seed example: a group extension with clearanceLevel (string, readWrite) and isArchived (boolean, readOnly).</summary>
    internal static JsonObject ClearanceExtension() => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Schema"),
        ["id"] = GroupExtension,
        ["name"] = "AcmeGroup",
        ["description"] = "Acme's group attributes",
        ["resourceType"] = "Group",
        ["attributes"] = new JsonArray(
            new JsonObject
            {
                ["name"] = "clearanceLevel",
                ["type"] = "string",
                ["multiValued"] = false,
                ["required"] = false,
                ["caseExact"] = false,
                ["mutability"] = "readWrite",
                ["returned"] = "default",
                ["uniqueness"] = "none",
                ["description"] = "Clearance needed to see the group's documents.",
            },
            new JsonObject { ["name"] = "isArchived", ["type"] = "boolean", ["mutability"] = "readOnly" }),
    };

    [Fact]
    public async Task An_extension_is_registered_listed_replaced_and_removed_through_the_admin_api()
    {
        var (tenant, scim) = await CreateAsync(server, "schemas");
        using var _scim = scim;
        using var admin = server.AdminClient();
        var path = $"/admin/v1/tenants/{tenant}/schemas/{GroupExtension}";

        var created = await admin.PutAsJsonAsync(path, ClearanceExtension());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(GroupExtension, body["id"]!.GetValue<string>());
        Assert.Equal("Group", body["resourceType"]!.GetValue<string>());
        Assert.False(body["required"]!.GetValue<bool>());
        var attributes = body["attributes"]!.AsArray();
        Assert.Equal("readOnly", attributes[1]!["mutability"]!.GetValue<string>());
        Assert.Equal("boolean", attributes[1]!["type"]!.GetValue<string>());
        Assert.EndsWith($"/scim/v2/{tenant}/Schemas/{GroupExtension}", body["meta"]!["location"]!.GetValue<string>());

        // What GET answers can be put back unchanged.
        var fetched = (await admin.GetFromJsonAsync<JsonObject>(path))!;
        Assert.Equal(body.ToJsonString(), fetched.ToJsonString());
        var replaced = await admin.PutAsJsonAsync(path, fetched);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Single((await admin.GetFromJsonAsync<JsonArray>($"/admin/v1/tenants/{tenant}/schemas"))!);

        // Discovery shows it for this tenant only.
        var schemas = (await scim.GetAsync("Schemas")).Expect(HttpStatusCode.OK).Json;
        Assert.Contains(GroupExtension, schemas["Resources"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal(4, schemas["totalResults"]!.GetValue<int>());
        var schema = (await scim.GetAsync($"Schemas/{GroupExtension}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("clearanceLevel", schema["attributes"]![0]!["name"]!.GetValue<string>());
        var groupType = (await scim.GetAsync("ResourceTypes/Group")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(GroupExtension, groupType["schemaExtensions"]![0]!["schema"]!.GetValue<string>());
        Assert.False(groupType["schemaExtensions"]![0]!["required"]!.GetValue<bool>());
        using var other = server.Client();
        (await other.GetAsync($"Schemas/{GroupExtension}")).Expect(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(path)).StatusCode);
        (await scim.GetAsync($"Schemas/{GroupExtension}")).Expect(HttpStatusCode.NotFound);
        Assert.Empty((await scim.GetAsync("ResourceTypes/Group")).Json["schemaExtensions"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"/admin/v1/tenants/no-such-tenant/schemas/{GroupExtension}", ClearanceExtension())).StatusCode);
    }

    [Fact]
    public async Task Invalid_definitions_are_rejected_with_problem_details()
    {
        var (tenant, scim) = await CreateAsync(server, "badschema");
        using var _scim = scim;
        using var admin = server.AdminClient();

        async Task Rejected(string urn, JsonObject body, string expectedInDetail)
        {
            var response = await admin.PutAsJsonAsync($"/admin/v1/tenants/{tenant}/schemas/{urn}", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains(expectedInDetail, problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }

        JsonObject With(Action<JsonObject> change)
        {
            var body = ClearanceExtension();
            body.Remove("id");
            change(body);
            return body;
        }

        await Rejected("not-a-urn", With(_ => { }), "not a schema URN");
        await Rejected("urn:ietf:params:scim:schemas:core:2.0:Group", With(_ => { }), "defines itself");
        await Rejected(GroupExtension, With(b => b["id"] = "urn:other"), "is not the URN");
        await Rejected(GroupExtension, With(b => b.Remove("resourceType")), "resourceType");
        await Rejected(GroupExtension, With(b => b["resourceType"] = "Widget"), "resourceType");
        await Rejected(GroupExtension, With(b => b["attributes"] = new JsonArray()), "attributes");
        await Rejected(GroupExtension, With(b => b["attributes"]![0]!["type"] = "float"), "type 'float'");
        await Rejected(GroupExtension, With(b => b["attributes"]![0]!["uniqueness"] = "server"), "uniqueness");
        await Rejected(GroupExtension, With(b => b["attributes"]![0]!["name"] = "bad name"), "not an attribute name");
        await Rejected(GroupExtension, With(b => b["attributes"]![1]!["name"] = "CLEARANCElevel"), "defined twice");
        await Rejected(GroupExtension, With(b => b["attributes"]![0]!["type"] = "complex"), "subAttributes");
        await Rejected(GroupExtension, With(b => b["attributes"]![0]!["multiValued"] = "yes"), "true or false");

        var notJson = await admin.PutAsync($"/admin/v1/tenants/{tenant}/schemas/{GroupExtension}", new StringContent("{nope", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>($"/admin/v1/tenants/{tenant}/schemas"))!);
    }

    [Fact]
    public async Task Extension_attributes_are_validated_stored_filtered_sorted_patched_and_projected()
    {
        var (tenant, scim) = await CreateAsync(server, "useext");
        using var _scim = scim;
        using var admin = server.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync($"/admin/v1/tenants/{tenant}/schemas/{GroupExtension}", ClearanceExtension())).StatusCode);
        var userExtension = new JsonObject
        {
            ["resourceType"] = "User",
            ["attributes"] = new JsonArray(
                new JsonObject { ["name"] = "level", ["type"] = "integer" },
                new JsonObject { ["name"] = "hired", ["type"] = "dateTime" },
                new JsonObject { ["name"] = "badge", ["type"] = "string", ["caseExact"] = true }),
        };
        Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync($"/admin/v1/tenants/{tenant}/schemas/{UserExtension}", userExtension)).StatusCode);

        // readOnly isArchived is ignored on input; the URN is added to schemas even when the client left it out.
        var secret = (await scim.PostAsync("Groups", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = "Vault",
            [GroupExtension] = new JsonObject { ["clearanceLevel"] = "Secret", ["isArchived"] = true },
        })).Expect(HttpStatusCode.Created).Json;
        Assert.Equal("Secret", secret[GroupExtension]!["clearanceLevel"]!.GetValue<string>());
        Assert.Null(secret[GroupExtension]!["isArchived"]);
        Assert.Contains(GroupExtension, secret["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        var open = (await scim.PostAsync("Groups", new JsonObject { ["displayName"] = "Lobby", [$"{GroupExtension}:clearanceLevel"] = "none" })).Expect(HttpStatusCode.Created).Json;
        var plain = (await scim.PostAsync("Groups", Payloads.Group("Plain"))).Expect(HttpStatusCode.Created).Json;
        string secretId = secret["id"]!.GetValue<string>(), openId = open["id"]!.GetValue<string>(), plainId = plain["id"]!.GetValue<string>();

        Assert.Equal([secretId], Ids((await scim.GetAsync($"Groups?filter={Uri.EscapeDataString($"{GroupExtension}:clearanceLevel eq \"SECRET\"")}")).Expect(HttpStatusCode.OK).Json));
        Assert.Equal([openId, secretId, plainId], Ids((await scim.GetAsync($"Groups?sortBy={GroupExtension}:clearanceLevel")).Expect(HttpStatusCode.OK).Json));
        Assert.Equal([plainId], Ids((await scim.GetAsync($"Groups?filter={Uri.EscapeDataString($"not ({GroupExtension}:clearanceLevel pr)")}")).Expect(HttpStatusCode.OK).Json));

        // PATCH by URN path and path-less with a URN-qualified key; a group PATCH answers 204.
        (await scim.PatchAsync($"Groups/{openId}", ScimClient.PatchOp(("replace", $"{GroupExtension}:clearanceLevel", "Restricted")))).Expect(HttpStatusCode.NoContent);
        (await scim.PatchAsync($"Groups/{plainId}", ScimClient.PatchOp(("add", null, new JsonObject { [$"{GroupExtension}:clearanceLevel"] = "Public" })))).Expect(HttpStatusCode.NoContent);
        (await scim.PatchAsync($"Groups/{secretId}", ScimClient.PatchOp(("remove", $"{GroupExtension}:clearanceLevel", null)))).Expect(HttpStatusCode.NoContent);
        Assert.Equal("Restricted", (await scim.GetAsync($"Groups/{openId}")).Json[GroupExtension]!["clearanceLevel"]!.GetValue<string>());
        Assert.Equal("Public", (await scim.GetAsync($"Groups/{plainId}")).Json[GroupExtension]!["clearanceLevel"]!.GetValue<string>());
        var cleared = (await scim.GetAsync($"Groups/{secretId}")).Json;
        Assert.Null(cleared[GroupExtension]);
        Assert.DoesNotContain(GroupExtension, cleared["schemas"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("mutability", (await scim.PatchAsync($"Groups/{openId}", ScimClient.PatchOp(("replace", $"{GroupExtension}:isArchived", true)))).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidPath", (await scim.PatchAsync($"Groups/{openId}", ScimClient.PatchOp(("replace", $"{GroupExtension}:noSuch", "x")))).Expect(HttpStatusCode.BadRequest).ScimType);

        // Typed user attributes: validated like core attributes, compared by type.
        JsonObject User(string name, JsonObject extension) => new()
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User", UserExtension),
            ["userName"] = name,
            [UserExtension] = extension,
        };
        Assert.Equal("invalidValue", (await scim.PostAsync("Users", User("bad-level", new JsonObject { ["level"] = "high" }))).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidValue", (await scim.PostAsync("Users", User("bad-date", new JsonObject { ["hired"] = "yesterday" }))).Expect(HttpStatusCode.BadRequest).ScimType);
        var early = (await scim.PostAsync("Users", User("early", new JsonObject { ["level"] = 10, ["hired"] = "2020-01-01T09:00:00+02:00", ["badge"] = "B-1" }))).Expect(HttpStatusCode.Created).Json;
        var late = (await scim.PostAsync("Users", User("late", new JsonObject { ["level"] = 9, ["hired"] = "2020-01-01T07:00:00.5Z", ["badge"] = "b-1" }))).Expect(HttpStatusCode.Created).Json;
        string earlyId = early["id"]!.GetValue<string>(), lateId = late["id"]!.GetValue<string>();
        Assert.Equal("2020-01-01T07:00:00Z", early[UserExtension]!["hired"]!.GetValue<string>());

        async Task<List<string>> Users(string query) => Ids((await scim.GetAsync("Users?" + query)).Expect(HttpStatusCode.OK).Json);
        Assert.Equal([lateId], await Users("filter=" + Uri.EscapeDataString($"{UserExtension}:hired gt \"2020-01-01T07:00:00Z\"")));
        Assert.Equal([earlyId], await Users("filter=" + Uri.EscapeDataString($"{UserExtension}:hired le \"2020-01-01T08:00:00+01:00\"")));
        Assert.Equal([earlyId], await Users("filter=" + Uri.EscapeDataString($"{UserExtension}:level gt 9")));
        Assert.Equal([lateId], await Users("filter=" + Uri.EscapeDataString($"{UserExtension}:badge eq \"b-1\"")));
        Assert.Equal([lateId, earlyId], await Users($"sortBy={UserExtension}:level"));
        Assert.Equal([lateId, earlyId], await Users($"sortBy={UserExtension}:hired&sortOrder=descending"));
        Assert.Equal([earlyId, lateId], await CursorTests.WalkAsync(scim, $"Users?sortBy={UserExtension}:hired&count=1"));
        var projected = (await scim.GetAsync($"Users/{earlyId}?attributes={UserExtension}:level")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(10, projected[UserExtension]!["level"]!.GetValue<int>());
        Assert.Null(projected[UserExtension]!["badge"]);
        Assert.Equal("invalidFilter", (await scim.GetAsync("Users?filter=" + Uri.EscapeDataString($"{UserExtension}:level eq \"x\""))).Expect(HttpStatusCode.BadRequest).ScimType);

        // Once the extension is removed its values are no longer shown, filtered or validated.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/v1/tenants/{tenant}/schemas/{UserExtension}")).StatusCode);
        Assert.Null((await scim.GetAsync($"Users/{earlyId}")).Json[UserExtension]);
        Assert.Equal("invalidFilter", (await scim.GetAsync("Users?filter=" + Uri.EscapeDataString($"{UserExtension}:level gt 1"))).Expect(HttpStatusCode.BadRequest).ScimType);
    }
}

/// <summary><see cref="SchemaExtensionTests"/> on the embedded host (SQLite).</summary>
public sealed class SchemaExtensionTestsOnSqlite(SqliteServerFixture fixture) : SchemaExtensionTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="SchemaExtensionTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class SchemaExtensionTestsOnPostgres(PostgresServerFixture fixture) : SchemaExtensionTests(fixture), IClassFixture<PostgresServerFixture>;
