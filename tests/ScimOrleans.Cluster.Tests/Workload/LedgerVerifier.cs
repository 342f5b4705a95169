using System.Net;
using System.Text.Json.Nodes;
using ScimOrleans.Cluster.Tests.Processes;

namespace ScimOrleans.Cluster.Tests.Workload;

/// <summary>
/// Checks the cluster against what it acknowledged: every acknowledged write present with its content, nothing
/// twice, no membership edge to a deleted user, and exactly one feed event per acknowledged change.
/// </summary>
internal static class LedgerVerifier
{
    public static async Task VerifyAsync(ClusterHttp http, ProvisioningLedger ledger, ProcessCluster cluster)
    {
        var users = ledger.Users.ToList();
        Assert.All(users, u => Assert.NotNull(u.Id));

        // 1. Every acknowledged user is there with the acknowledged content; every acknowledged delete is gone.
        foreach (var user in users)
        {
            var reply = await http.GetAsync($"Users/{user.Id}");
            if (user.Deleted)
            {
                Assert.True(reply.Status == HttpStatusCode.NotFound, $"Deleted user {user.UserName} answered {(int)reply.Status}.");
                continue;
            }

            Assert.True(reply.Status == HttpStatusCode.OK, $"User {user.UserName} ({user.Id}) answered {(int)reply.Status}.");
            Assert.Equal(user.UserName, reply.Body!["userName"]!.GetValue<string>());
            Assert.Equal(user.ExternalId, reply.Body["externalId"]!.GetValue<string>());
            Assert.Equal(user.Title, reply.Body["title"]!.GetValue<string>());
        }

        // 2. Nothing exists twice and nothing unacknowledged exists: the tenant holds exactly the live users.
        var live = users.Where(u => !u.Deleted).ToList();
        var list = await http.GetAsync("Users?count=0");
        Assert.Equal(live.Count, list.Body!["totalResults"]!.GetValue<int>());
        Assert.Equal(live.Count, await cluster.ScalarAsync(
            $"SELECT count(*) FROM resources WHERE tenant_id = '{ProcessCluster.Tenant}' AND kind = 1"));
        Assert.Equal(0, await cluster.ScalarAsync(
            $"SELECT count(*) FROM (SELECT user_name_key FROM resources WHERE tenant_id = '{ProcessCluster.Tenant}' AND kind = 1 " +
            "GROUP BY user_name_key HAVING count(*) > 1) AS duplicates"));
        Assert.Equal(users.Count, users.Select(u => u.Id).Distinct().Count());

        // 3. Memberships: each group has exactly its acknowledged live members; no edge names a missing resource.
        foreach (var group in ledger.Groups)
        {
            var reply = await http.GetAsync($"Groups/{group.Id}?attributes=members");
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            var members = (reply.Body!["members"] as JsonArray ?? []).Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            var expected = live.Where(u => u.GroupId == group.Id).Select(u => u.Id!).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, members);
        }

        Assert.Equal(0, await cluster.ScalarAsync(
            "SELECT count(*) FROM memberships m WHERE NOT EXISTS (SELECT 1 FROM resources r " +
            "WHERE r.tenant_id = m.tenant_id AND r.id = m.member_id AND r.kind = m.member_kind)"));

        // 4. The feed: gap-free, ordered, and exactly one event per acknowledged change.
        var events = await EventFeedReader.ReadAllAsync(http);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(EventFeedReader.Cursor));

        var byType = events.GroupBy(EventFeedReader.Type).ToDictionary(g => g.Key, g => g.ToList());
        List<JsonObject> OfType(string type) => byType.TryGetValue(type, out var list) ? list : [];

        AssertExactlyOnce(OfType("group.created").Select(EventFeedReader.ResourceId), ledger.Groups.Select(g => g.Id), "group.created");
        AssertExactlyOnce(OfType("user.created").Select(EventFeedReader.ResourceId), users.Select(u => u.Id!), "user.created");
        AssertExactlyOnce(OfType("user.updated").Select(EventFeedReader.ResourceId), users.Select(u => u.Id!), "user.updated");
        Assert.All(OfType("user.updated"), e => Assert.Equal(ProvisioningWorkload.PatchedTitle, EventFeedReader.DataString(e, "title")));
        AssertExactlyOnce(
            OfType("group.user_added").Select(e => $"{EventFeedReader.DataString(e, "groupId")}/{EventFeedReader.DataString(e, "memberId")}"),
            users.Select(u => $"{u.GroupId}/{u.Id}"), "group.user_added");
        var deleted = users.Where(u => u.Deleted).ToList();
        AssertExactlyOnce(OfType("user.deleted").Select(EventFeedReader.ResourceId), deleted.Select(u => u.Id!), "user.deleted");
        AssertExactlyOnce(
            OfType("group.user_removed").Select(e => $"{EventFeedReader.DataString(e, "groupId")}/{EventFeedReader.DataString(e, "memberId")}"),
            deleted.Select(u => $"{u.GroupId}/{u.Id}"), "group.user_removed");

        var expectedTotal = ledger.Groups.Count + users.Count * 3 + deleted.Count * 2;
        Assert.True(events.Count == expectedTotal,
            $"The feed has {events.Count} events, expected {expectedTotal}: " +
            string.Join(", ", byType.Select(kv => $"{kv.Key}={kv.Value.Count}")));
    }

    /// <summary>
    /// Sends acknowledged writes again, as a client that never got the answers would (ADR 0004): a create answers
    /// 409 uniqueness and the user found by userName is the acknowledged one; a PATCH or member add changes nothing;
    /// a delete answers 404. The feed must not grow.
    /// </summary>
    public static async Task VerifyReplaysAreHarmlessAsync(ClusterHttp http, ProvisioningLedger ledger, int count)
    {
        var before = (await EventFeedReader.ReadAllAsync(http)).Count;
        var sample = ledger.Users.Take(count).ToList();
        for (var i = 0; i < sample.Count; i++)
        {
            var user = sample[i];
            var create = await http.PostAsync("Users", new JsonObject
            {
                ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
                ["userName"] = user.UserName,
                ["externalId"] = user.ExternalId,
                ["name"] = new JsonObject { ["givenName"] = "Load", ["familyName"] = user.ExternalId },
                ["title"] = "created",
                ["active"] = true,
            }, i);
            if (user.Deleted)
            {
                // The userName is free again after a delete (RFC 7644 §3.6); this replay creates a new user. Remove it.
                Assert.Equal(HttpStatusCode.Created, create.Status);
                Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"Users/{create.Body!["id"]!.GetValue<string>()}", i)).Status);
                Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync($"Users/{user.Id}", i + 1)).Status);
                before += 2; // user.created + user.deleted of the new user
                continue;
            }

            Assert.Equal(HttpStatusCode.Conflict, create.Status);
            Assert.Equal("uniqueness", create.Body!["scimType"]!.GetValue<string>());
            var found = await http.GetAsync($"Users?filter={Uri.EscapeDataString($"userName eq \"{user.UserName}\"")}", i + 1);
            Assert.Equal(user.Id, Assert.Single(found.Body!["Resources"]!.AsArray())!["id"]!.GetValue<string>());

            var patch = await http.PatchAsync($"Users/{user.Id}", ProvisioningWorkload.PatchOp("replace", "title", ProvisioningWorkload.PatchedTitle), i + 2);
            Assert.Equal(HttpStatusCode.OK, patch.Status);
            var add = await http.PatchAsync($"Groups/{user.GroupId}", ProvisioningWorkload.PatchOp("add", "members", new JsonArray(new JsonObject { ["value"] = user.Id })), i);
            Assert.Equal(HttpStatusCode.NoContent, add.Status);
        }

        Assert.Equal(before, (await EventFeedReader.ReadAllAsync(http)).Count);
    }

    private static void AssertExactlyOnce(IEnumerable<string> actual, IEnumerable<string> expected, string what)
    {
        var actualList = actual.Order(StringComparer.Ordinal).ToList();
        var expectedList = expected.Order(StringComparer.Ordinal).ToList();
        var duplicates = actualList.GroupBy(x => x).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{what}: {duplicates.Count} changes have more than one event, e.g. {duplicates.FirstOrDefault()}");
        var missing = expectedList.Except(actualList).ToList();
        Assert.True(missing.Count == 0, $"{what}: {missing.Count} acknowledged changes have no event, e.g. {missing.FirstOrDefault()}");
        var extra = actualList.Except(expectedList).ToList();
        Assert.True(extra.Count == 0, $"{what}: {extra.Count} events for changes never acknowledged, e.g. {extra.FirstOrDefault()}");
    }
}
