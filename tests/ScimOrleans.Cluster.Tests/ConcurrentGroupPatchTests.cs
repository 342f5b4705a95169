using System.Net;
using System.Text.Json.Nodes;
using ScimOrleans.Cluster.Tests.Processes;
using ScimOrleans.Cluster.Tests.Workload;
using ScimOrleans.TestSupport;

namespace ScimOrleans.Cluster.Tests;

/// <summary>
/// Concurrent PATCHes to one group through different silos are all applied: no lost update; and every silo, each
/// with its own cache of users' groups, answers a user's <c>groups</c> as of the last acknowledged PATCH.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentGroupPatchTests(PostgresServer server)
{
    [PostgresFact]
    public async Task Concurrent_member_patches_to_one_group_through_every_silo_are_all_applied_once()
    {
        await using var cluster = new ProcessCluster(await server.CreateDatabaseAsync());
        var silos = await cluster.StartSilosAsync(3);
        using var http = new ClusterHttp(() => [.. silos.Select(s => s.HttpAddress)], ProcessCluster.Tenant, ProcessCluster.TenantToken);

        // Every silo set the same bootstrap tenant and token at once: one tenant, one token.
        using (var admin = new HttpClient())
        {
            admin.DefaultRequestHeaders.Authorization = new("Bearer", ProcessCluster.AdminKey);
            var tenant = JsonNode.Parse(await admin.GetStringAsync(new Uri(silos[2].HttpAddress, $"admin/v1/tenants/{ProcessCluster.Tenant}")))!;
            Assert.Single(tenant["tokens"]!.AsArray());
        }

        var group = await http.PostAsync("Groups", new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = "contended",
        });
        Assert.Equal(HttpStatusCode.Created, group.Status);
        var groupId = group.Body!["id"]!.GetValue<string>();
        var users = await Task.WhenAll(Enumerable.Range(0, 90).Select(async i =>
        {
            var reply = await http.PostAsync("Users", new JsonObject
            {
                ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
                ["userName"] = $"member-{i}@example.com",
            }, i);
            Assert.Equal(HttpStatusCode.Created, reply.Status);
            return reply.Body!["id"]!.GetValue<string>();
        }));

        // Every silo reads (and caches) the users' groups before the PATCHes: none yet.
        await AssertGroupsOnEverySiloAsync(http, users[..60], silos.Count, []);

        // Round 1: 60 PATCHes, each adding one member, all at once, spread over the three silos.
        await PatchAllAsync(http, groupId, users[..60].Select(id => ProvisioningWorkload.PatchOp("add", "members", new JsonArray(new JsonObject { ["value"] = id }))));
        for (var silo = 0; silo < silos.Count; silo++)
        {
            Assert.Equal(users[..60].Order(StringComparer.Ordinal), await MembersAsync(http, groupId, silo));
        }

        await AssertGroupsOnEverySiloAsync(http, users[..60], silos.Count, [groupId]);

        // Round 2: 30 removals and 30 further additions interleaved, all at once.
        var removals = users[..30].Select(id => RemoveMember(id));
        var additions = users[60..].Select(id => ProvisioningWorkload.PatchOp("add", "members", new JsonArray(new JsonObject { ["value"] = id })));
        await PatchAllAsync(http, groupId, removals.Zip(additions, (r, a) => new[] { r, a }).SelectMany(pair => pair));

        var expected = users[30..].Order(StringComparer.Ordinal).ToList();
        for (var silo = 0; silo < silos.Count; silo++)
        {
            Assert.Equal(expected, await MembersAsync(http, groupId, silo));
        }

        await AssertGroupsOnEverySiloAsync(http, users[..30], silos.Count, []);
        await AssertGroupsOnEverySiloAsync(http, users[30..], silos.Count, [groupId]);

        // Exactly one event per edge change, none lost, none doubled.
        var events = (await EventFeedReader.ReadAllAsync(http)).Where(e => EventFeedReader.ResourceId(e) == groupId).ToList();
        var added = events.Where(e => EventFeedReader.Type(e) == "group.user_added").Select(e => EventFeedReader.DataString(e, "memberId")!).ToList();
        var removed = events.Where(e => EventFeedReader.Type(e) == "group.user_removed").Select(e => EventFeedReader.DataString(e, "memberId")!).ToList();
        Assert.Equal(users.Order(StringComparer.Ordinal), added.Order(StringComparer.Ordinal));
        Assert.Equal(users[..30].Order(StringComparer.Ordinal), removed.Order(StringComparer.Ordinal));
        Assert.Equal(60, await cluster.ScalarAsync($"SELECT count(*) FROM memberships WHERE group_id = '{groupId}'"));
    }

    private static async Task PatchAllAsync(ClusterHttp http, string groupId, IEnumerable<JsonObject> patches)
    {
        var replies = await Task.WhenAll(patches.Select((patch, i) => http.PatchAsync($"Groups/{groupId}", patch, i)));
        Assert.All(replies, reply =>
        {
            Assert.True(reply.Status == HttpStatusCode.NoContent, $"{(int)reply.Status}: {reply.Body?.ToJsonString()}");
            Assert.Equal(1, reply.Attempts); // no fault here: every PATCH must succeed the first time
        });
        Assert.Equal(3, replies.Select(r => r.ServedBy).Distinct().Count());
    }

    private static JsonObject RemoveMember(string id) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{id}\"]" }),
    };

    /// <summary>Each user's groups as every silo answers them in GET /Users/{id}.</summary>
    private static Task AssertGroupsOnEverySiloAsync(ClusterHttp http, IEnumerable<string> userIds, int silos, string[] expected) =>
        Task.WhenAll(userIds.SelectMany(id => Enumerable.Range(0, silos).Select(async silo =>
        {
            var reply = await http.GetAsync($"Users/{id}", silo);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal(expected, (reply.Body!["groups"] as JsonArray ?? []).Select(g => g!["value"]!.GetValue<string>()));
        })));

    private static async Task<List<string>> MembersAsync(ClusterHttp http, string groupId, int silo)
    {
        var reply = await http.GetAsync($"Groups/{groupId}?attributes=members", silo);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        return [.. (reply.Body!["members"] as JsonArray ?? []).Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }
}
