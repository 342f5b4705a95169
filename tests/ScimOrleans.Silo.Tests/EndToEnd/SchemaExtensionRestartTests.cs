using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>A registered schema extension is tenant state: it survives a restart, and so do the values it describes.</summary>
public abstract class SchemaExtensionRestartTests(ScimServerFixture fixture)
{
    [Fact]
    public async Task An_extension_and_its_values_survive_a_restart()
    {
        var server = fixture.Server;
        const string urn = SchemaExtensionTests.GroupExtension;
        string groupId;
        using (var admin = server.AdminClient())
        {
            Assert.Equal(HttpStatusCode.Created, (await admin.PutAsJsonAsync($"/admin/v1/tenants/{ScimServer.Tenant}/schemas/{urn}", SchemaExtensionTests.ClearanceExtension())).StatusCode);
        }

        using (var scim = server.Client())
        {
            groupId = (await scim.PostAsync("Groups", new JsonObject { ["displayName"] = "Durable vault", [urn] = new JsonObject { ["clearanceLevel"] = "Secret" } }))
                .Expect(HttpStatusCode.Created).Id;
        }

        await server.RestartAsync();

        using var after = server.Client();
        Assert.Equal("Secret", (await after.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.OK).Json[urn]!["clearanceLevel"]!.GetValue<string>());
        (await after.GetAsync($"Schemas/{urn}")).Expect(HttpStatusCode.OK);
        var found = (await after.GetAsync("Groups?filter=" + Uri.EscapeDataString($"{urn}:clearanceLevel eq \"secret\""))).Expect(HttpStatusCode.OK).Json;
        Assert.Equal(1, found["totalResults"]!.GetValue<int>());
    }
}

/// <summary><see cref="SchemaExtensionRestartTests"/> on the embedded host (SQLite).</summary>
public sealed class SchemaExtensionRestartTestsOnSqlite(SqliteServerFixture fixture) : SchemaExtensionRestartTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="SchemaExtensionRestartTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class SchemaExtensionRestartTestsOnPostgres(PostgresServerFixture fixture) : SchemaExtensionRestartTests(fixture), IClassFixture<PostgresServerFixture>;
