using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>The admin API, tenant isolation, discovery documents and protocol-level errors.</summary>
public abstract class AdminAndDiscoveryTests(ScimServerFixture fixture)
{
    private readonly ScimServer server = fixture.Server;

    [Fact]
    public async Task Admin_api_requires_the_admin_key()
    {
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/v1/tenants")).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", ScimServer.TenantToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/admin/v1/tenants")).StatusCode);
    }

    [Fact]
    public async Task Tenant_lifecycle_tokens_and_isolation()
    {
        using var admin = server.AdminClient();
        var tenant = Payloads.Unique("iso").ToLowerInvariant();
        var created = await admin.PostAsJsonAsync("/admin/v1/tenants", new { id = tenant });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var token = body["token"]!.GetValue<string>();
        Assert.EndsWith($"/scim/v2/{tenant}", body["tenant"]!["scimBaseUrl"]!.GetValue<string>());
        Assert.Equal("removeFromGroups", body["tenant"]!["membershipPolicy"]!.GetValue<string>());
        Assert.DoesNotContain(token, (await admin.GetStringAsync($"/admin/v1/tenants/{tenant}")));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/admin/v1/tenants", new { id = tenant })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/admin/v1/tenants", new { id = "Not Valid!" })).StatusCode);

        // The new tenant's token works there and nowhere else; the bootstrap tenant's token does not work here.
        using var mine = server.Client(tenant, token);
        var user = (await mine.PostAsync("Users", Payloads.OktaUser("shared@example.com"))).Expect(HttpStatusCode.Created).Id;
        using var crossed = server.Client(ScimServer.Tenant, token);
        (await crossed.GetAsync("Users")).Expect(HttpStatusCode.Unauthorized);
        using var intruder = server.Client(tenant, ScimServer.TenantToken);
        (await intruder.GetAsync($"Users/{user}")).Expect(HttpStatusCode.Unauthorized);
        using var home = server.Client();
        (await home.GetAsync($"Users/{user}")).Expect(HttpStatusCode.NotFound);
        var sameNameElsewhere = (await home.PostAsync("Users", Payloads.OktaUser("shared@example.com")));
        Assert.True(sameNameElsewhere.Status is HttpStatusCode.Created or HttpStatusCode.Conflict);
        var homeList = (await home.GetAsync("Users?filter=userName eq \"shared@example.com\"")).Expect(HttpStatusCode.OK).Json;
        Assert.DoesNotContain(user, homeList["Resources"]?.AsArray().Select(r => r!["id"]!.GetValue<string>()) ?? []);

        // A second token, then revoking the first.
        var issued = await admin.PostAsJsonAsync($"/admin/v1/tenants/{tenant}/tokens", new { description = "rotation" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var second = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        var firstId = body["tokenId"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/v1/tenants/{tenant}/tokens/{firstId}")).StatusCode);
        (await mine.GetAsync("Users")).Expect(HttpStatusCode.Unauthorized);
        using var rotated = server.Client(tenant, second);
        (await rotated.GetAsync($"Users/{user}")).Expect(HttpStatusCode.OK);

        // Deleting the tenant removes its data and credentials.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/v1/tenants/{tenant}")).StatusCode);
        (await rotated.GetAsync("Users")).Expect(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/admin/v1/tenants/{tenant}")).StatusCode);
    }

    [Fact]
    public async Task Discovery_documents_describe_the_server()
    {
        using var scim = server.Client();
        var config = (await scim.GetAsync("ServiceProviderConfig")).Expect(HttpStatusCode.OK).Json;
        Assert.True(config["patch"]!["supported"]!.GetValue<bool>());
        Assert.True(config["filter"]!["supported"]!.GetValue<bool>());
        Assert.True(config["etag"]!["supported"]!.GetValue<bool>());
        Assert.True(config["bulk"]!["supported"]!.GetValue<bool>());
        Assert.Equal(1000, config["filter"]!["maxResults"]!.GetValue<int>());

        var schemas = (await scim.GetAsync("Schemas")).Expect(HttpStatusCode.OK).Json;
        var ids = schemas["Resources"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("urn:ietf:params:scim:schemas:core:2.0:User", ids);
        Assert.Contains("urn:ietf:params:scim:schemas:core:2.0:Group", ids);
        Assert.Contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", ids);
        var user = (await scim.GetAsync("Schemas/urn:ietf:params:scim:schemas:core:2.0:User")).Expect(HttpStatusCode.OK).Json;
        var password = user["attributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "password")!;
        Assert.Equal("never", password["returned"]!.GetValue<string>());
        Assert.Equal("writeOnly", password["mutability"]!.GetValue<string>());

        var types = (await scim.GetAsync("ResourceTypes")).Expect(HttpStatusCode.OK).Json;
        var userType = types["Resources"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "User")!;
        Assert.Equal("/Users", userType["endpoint"]!.GetValue<string>());
        Assert.Equal("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", userType["schemaExtensions"]![0]!["schema"]!.GetValue<string>());
        (await scim.GetAsync("ResourceTypes/Group")).Expect(HttpStatusCode.OK);
        (await scim.GetAsync("Me")).Expect(HttpStatusCode.NotImplemented);
    }

    [Fact]
    public async Task Bad_input_gets_scim_errors_never_500()
    {
        using var scim = server.Client();
        Assert.Equal("invalidSyntax", (await scim.PostRawAsync("Users", "{not json")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidSyntax", (await scim.PostRawAsync("Users", "[1,2]")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidValue", (await scim.PostAsync("Users", new JsonObject { ["displayName"] = "no userName" })).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidValue", (await scim.PostAsync("Users", new JsonObject { ["userName"] = "x" + Guid.NewGuid(), ["active"] = "maybe" })).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidFilter", (await scim.GetAsync("Users?filter=userName eq")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidFilter", (await scim.GetAsync("Users?filter=nosuchattribute eq \"x\"")).Expect(HttpStatusCode.BadRequest).ScimType);
        (await scim.GetAsync("NoSuchEndpoint")).Expect(HttpStatusCode.NotFound);

        var id = (await scim.PostAsync("Users", Payloads.OktaUser(Payloads.Unique("bad") + "@example.com"))).Expect(HttpStatusCode.Created).Id;
        Assert.Equal("invalidSyntax", (await scim.PatchRawAsync($"Users/{id}", "{\"Operations\":[]}")).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("invalidPath", (await scim.PatchAsync($"Users/{id}", ScimClient.PatchOp(("replace", "nosuch", "x")))).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("noTarget", (await scim.PatchAsync($"Users/{id}", ScimClient.PatchOp(("remove", null, null)))).Expect(HttpStatusCode.BadRequest).ScimType);
        Assert.Equal("mutability", (await scim.PatchAsync($"Users/{id}", ScimClient.PatchOp(("replace", "id", "other")))).Expect(HttpStatusCode.BadRequest).ScimType);

        // Atomic: the valid first operation is not applied when the second fails.
        var before = (await scim.GetAsync($"Users/{id}")).Json;
        (await scim.PatchAsync($"Users/{id}", ScimClient.PatchOp(("replace", "displayName", "Half"), ("replace", "active", "maybe")))).Expect(HttpStatusCode.BadRequest);
        var after = (await scim.GetAsync($"Users/{id}")).Json;
        Assert.Equal(before["displayName"]!.GetValue<string>(), after["displayName"]!.GetValue<string>());
        Assert.Equal(before["meta"]!["version"]!.GetValue<string>(), after["meta"]!["version"]!.GetValue<string>());

        var big = new JsonObject { ["userName"] = "big" + Guid.NewGuid(), ["displayName"] = new string('x', 2 * 1024 * 1024) };
        (await scim.PostAsync("Users", big)).Expect(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Etags_guard_writes_and_save_reads()
    {
        using var scim = server.Client();
        var created = (await scim.PostAsync("Users", Payloads.OktaUser(Payloads.Unique("etag") + "@example.com"))).Expect(HttpStatusCode.Created);
        var etag = created.Headers.ETag!.ToString();

        var notModified = await scim.GetAsync($"Users/{created.Id}", [new("If-None-Match", etag)]);
        Assert.Equal(HttpStatusCode.NotModified, notModified.Status);

        var patched = (await scim.PatchAsync($"Users/{created.Id}", ScimClient.PatchOp(("replace", "displayName", "v2")), [new("If-Match", etag)])).Expect(HttpStatusCode.OK);
        (await scim.PatchAsync($"Users/{created.Id}", ScimClient.PatchOp(("replace", "displayName", "v3")), [new("If-Match", etag)])).Expect(HttpStatusCode.PreconditionFailed);
        (await scim.DeleteAsync($"Users/{created.Id}", [new("If-Match", etag)])).Expect(HttpStatusCode.PreconditionFailed);
        (await scim.DeleteAsync($"Users/{created.Id}", [new("If-Match", patched.Headers.ETag!.ToString())])).Expect(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
    }
}

/// <summary><see cref="AdminAndDiscoveryTests"/> on the embedded host (SQLite).</summary>
public sealed class AdminAndDiscoveryTestsOnSqlite(SqliteServerFixture fixture) : AdminAndDiscoveryTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="AdminAndDiscoveryTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class AdminAndDiscoveryTestsOnPostgres(PostgresServerFixture fixture) : AdminAndDiscoveryTests(fixture), IClassFixture<PostgresServerFixture>;
