using System.Net;
using System.Net.Http.Json;
using ScimOrleans.Silo.Tests.Infrastructure;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>Acknowledged writes survive stopping the host and starting it again on the same data directory or database.</summary>
public abstract class RestartTests(ScimServerFixture fixture)
{
    [Fact]
    public async Task Acknowledged_writes_survive_a_restart()
    {
        var server = fixture.Server;
        string userId;
        string groupId;
        string version;
        using (var scim = server.Client())
        {
            userId = (await scim.PostAsync("Users", Payloads.OktaUser("durable@example.com"))).Expect(HttpStatusCode.Created).Id;
            groupId = (await scim.PostAsync("Groups", Payloads.Group("Durable", userId))).Expect(HttpStatusCode.Created).Id;
            version = (await scim.PatchAsync($"Users/{userId}", ScimClient.PatchOp(("replace", "displayName", "Survivor")))).Expect(HttpStatusCode.OK).Json["meta"]!["version"]!.GetValue<string>();
        }

        using var admin = server.AdminClient();
        var issued = await admin.PostAsJsonAsync($"/admin/v1/tenants/{ScimServer.Tenant}/tokens", new { description = "restart" });
        var issuedToken = (await issued.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["token"]!.GetValue<string>();
        var feedBefore = await new EventFeed(server.BaseAddress, ScimServer.Tenant, ScimServer.TenantToken).ReadNewAsync();
        await server.RestartAsync();

        using var after = server.Client();
        var user = (await after.GetAsync($"Users/{userId}")).Expect(HttpStatusCode.OK).Json;
        Assert.Equal("Survivor", user["displayName"]!.GetValue<string>());
        Assert.Equal(version, user["meta"]!["version"]!.GetValue<string>());
        Assert.Equal([userId], EntraSequenceTests.MemberIds((await after.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.OK).Json));
        var feedAfter = await new EventFeed(server.BaseAddress, ScimServer.Tenant, ScimServer.TenantToken).ReadNewAsync();
        Assert.Equal(feedBefore.Select(e => e.ToJsonString()), feedAfter.Select(e => e.ToJsonString()));
        // A token issued through the admin API lives in Orleans grain storage (SQLite or PostgreSQL): it works after the restart.
        using var rotated = server.Client(ScimServer.Tenant, issuedToken);
        (await rotated.GetAsync($"Users/{userId}")).Expect(HttpStatusCode.OK);
    }
}

/// <summary><see cref="RestartTests"/> on the embedded host (SQLite).</summary>
public sealed class RestartTestsOnSqlite(SqliteServerFixture fixture) : RestartTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="RestartTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class RestartTestsOnPostgres(PostgresServerFixture fixture) : RestartTests(fixture), IClassFixture<PostgresServerFixture>;
