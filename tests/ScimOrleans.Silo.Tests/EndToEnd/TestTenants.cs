using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>Fresh tenants for tests that count or order everything a tenant holds.</summary>
internal static class TestTenants
{
    /// <summary>Creates a tenant through the admin API and returns its id and a SCIM client with its token.</summary>
    public static async Task<(string Tenant, ScimClient Client)> CreateAsync(ScimServer server, string prefix)
    {
        using var admin = server.AdminClient();
        var tenant = Payloads.Unique(prefix).ToLowerInvariant();
        var created = await admin.PostAsJsonAsync("/admin/v1/tenants", new { id = tenant });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = (await created.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        return (tenant, server.Client(tenant, token));
    }

    public static List<string> Ids(JsonObject listResponse) =>
        (listResponse["Resources"] as JsonArray ?? []).Select(r => r!["id"]!.GetValue<string>()).ToList();

    public static JsonObject SearchRequest(params (string Name, JsonNode? Value)[] members)
    {
        var body = new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:SearchRequest") };
        foreach (var (name, value) in members)
        {
            body[name] = value;
        }

        return body;
    }
}
