using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScimOrleans.Cluster.Tests.Processes;
using ScimOrleans.TestSupport;

namespace ScimOrleans.Cluster.Tests;

/// <summary>Silos starting at once on an empty database: schema, admin key and demo tenant are made exactly once.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ClusterBootstrapTests(PostgresServer server)
{
    [PostgresFact]
    public async Task Silos_starting_together_on_an_empty_database_create_one_demo_tenant_and_print_each_secret_once()
    {
        // No admin key and no bootstrap tenant: every silo races to generate the key and to create the demo tenant.
        await using var cluster = new ProcessCluster(await server.CreateDatabaseAsync(), new Dictionary<string, string>
        {
            ["Scim__AdminKey"] = "",
            ["Scim__Bootstrap__Tenant"] = "",
            ["Scim__Bootstrap__Token"] = "",
            ["Scim__CreateDemoTenant"] = "true",
        });
        var silos = await cluster.StartSilosAsync(3);

        // Bootstrap runs before the web server starts; the banner follows as soon as the server has started.
        Assert.True(await PostgresSilos.EventuallyAsync(
            () => Task.FromResult(silos.Count(s => s.Output.Contains("Bearer token (shown once)", StringComparison.Ordinal)) == 1
                && silos.Count(s => s.Output.Contains("Admin key (shown once", StringComparison.Ordinal)) == 1),
            TimeSpan.FromSeconds(10)), $"Each secret should be printed by exactly one silo.\n{cluster.Logs()}");
        await Task.Delay(1000); // a second printer, if there were one, would have printed by now
        Assert.Equal(1, silos.Count(s => s.Output.Contains("Bearer token (shown once)", StringComparison.Ordinal)));
        Assert.Equal(1, silos.Count(s => s.Output.Contains("Admin key (shown once", StringComparison.Ordinal)));

        // Both schemas were installed once, whole, by silos racing on an empty database.
        var scimScripts = typeof(ScimOrleans.Storage.IScimStore).Assembly.GetManifestResourceNames()
            .Count(name => name.StartsWith("db/postgresql/scim/", StringComparison.Ordinal));
        Assert.Equal(scimScripts, await cluster.ScalarAsync("SELECT count(*) FROM schema_version"));
        Assert.Equal(ScimOrleans.Storage.Postgres.OrleansPostgresSchema.QueryKeys.Count, await cluster.ScalarAsync("SELECT count(*) FROM OrleansQuery"));
        Assert.Equal(3, await cluster.ScalarAsync(
            $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{cluster.ClusterId}' AND Status = 3"));

        var allOutput = string.Concat(silos.Select(s => s.Output));
        var adminKey = AdminKeyLine().Match(allOutput).Groups[1].Value;
        var token = TokenLine().Match(allOutput).Groups[1].Value;

        // Any silo accepts both secrets, and there is exactly one tenant with exactly one token.
        using var http = new HttpClient();
        foreach (var silo in silos)
        {
            using var list = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.HttpAddress, "admin/v1/tenants"));
            list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            using var tenants = await http.SendAsync(list);
            Assert.Equal(HttpStatusCode.OK, tenants.StatusCode);
            var tenant = Assert.Single(JsonNode.Parse(await tenants.Content.ReadAsStringAsync())!.AsArray())!;
            Assert.Equal("demo", tenant["id"]!.GetValue<string>());
            Assert.Single(tenant["tokens"]!.AsArray());

            using var users = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.HttpAddress, "scim/v2/demo/Users?count=0"));
            users.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(users)).StatusCode);
        }
    }

    [GeneratedRegex(@"Admin key \(shown once[^)]*\): (\S+)")]
    private static partial Regex AdminKeyLine();

    [GeneratedRegex(@"Bearer token \(shown once\): (\S+)")]
    private static partial Regex TokenLine();
}
