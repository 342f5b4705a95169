using System.Globalization;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage;

namespace ScimOrleans.Benchmarks;

/// <summary>
/// Seeds big tenants straight through <see cref="IScimStore.CommitAsync"/> (the rows a grain would write, without
/// events), which is far faster than going through HTTP and keeps macro benchmark setup times in seconds.
/// </summary>
public static class Seeding
{
    public static string UserName(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{i:D7}@example.com");

    public static string UserBody(string prefix, int i) => $$$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{{UserName(prefix, i)}}}","externalId":"ext-{{{prefix}}}{{{i}}}","active":true,"displayName":"User {{{i}}}","name":{"givenName":"Given{{{i}}}","familyName":"Family{{{i}}}"},"emails":[{"value":"{{{UserName(prefix, i)}}}","type":"work","primary":true}],"title":"Engineer"}
        """;

    /// <summary>Creates users <paramref name="prefix"/>0 … through the store; returns their ids in order.</summary>
    public static async Task<string[]> SeedUsersAsync(IScimStore store, string tenant, string prefix, int count)
    {
        var ids = new string[count];
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid().ToString("D");
            var outcome = ResourceWriter.PrepareCreate(ScimSchemas.UserResource, ScimJson.ParseObject(UserBody(prefix, i)));
            var stored = new JsonObject { ["schemas"] = outcome.Resource["schemas"]!.DeepClone(), ["id"] = id };
            foreach (var (name, value) in outcome.Resource)
            {
                if (name is not "schemas" and not "id")
                {
                    stored[name] = value?.DeepClone();
                }
            }

            var userName = UserName(prefix, i);
            var row = new ResourceRow(tenant, ResourceKind.User, id, 1, stored.ToJsonString(), now, now,
                new IndexedAttributes(userName, $"ext-{prefix}{i}", $"User {i}", true, userName));
            await store.CommitAsync(new ResourceCommit(tenant, ResourceKind.User, id, CommitAction.Create, 0, row, true, null, false, []));
            ids[i] = id;
        }

        return ids;
    }
}
