using System.Net;
using System.Text.Json.Nodes;

namespace ScimOrleans.Cluster.Tests.Workload;

/// <summary>
/// An IdP-like provisioning run: per user, create → PATCH an attribute → add to a group → (every fourth) delete,
/// each step retried through the cluster until it is acknowledged. A retried create that answers 409 is accepted only
/// when the existing user is the one the lost attempt wrote (same externalId and content) — the RFC 7644 answer
/// (see docs/adr/0004-retried-creates.md).
/// </summary>
internal sealed class ProvisioningWorkload(ClusterHttp http, ProvisioningLedger ledger, string runId)
{
    public const string PatchedTitle = "patched";

    public async Task CreateGroupsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var displayName = $"{runId}-group-{i}";
            var reply = await http.PostAsync("Groups", new JsonObject
            {
                ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
                ["displayName"] = displayName,
            }, i);
            Assert.True(reply.Status == HttpStatusCode.Created, $"Group create answered {(int)reply.Status}: {reply.Body?.ToJsonString()}");
            ledger.Groups.Add(new ProvisioningLedger.GroupEntry(reply.Body!["id"]!.GetValue<string>(), displayName));
        }
    }

    /// <summary>Provisions up to <paramref name="users"/> users for one worker; stops between users once <paramref name="stop"/> fires.</summary>
    public async Task RunWorkerAsync(int worker, int users, CancellationToken stop = default)
    {
        for (var i = 0; i < users && !stop.IsCancellationRequested; i++)
        {
            await ProvisionUserAsync(worker, i);
        }
    }

    private async Task ProvisionUserAsync(int worker, int index)
    {
        var preferred = worker + index;
        var user = new ProvisioningLedger.UserEntry($"{runId}-w{worker}-u{index}@example.com", $"ext-{runId}-{worker}-{index}");
        ledger.Users.Enqueue(user);

        await CreateAsync(user, preferred);

        var patch = await http.PatchAsync($"Users/{user.Id}", PatchOp("replace", "title", PatchedTitle), preferred + 1);
        Expect(patch, HttpStatusCode.OK, "PATCH user");
        Count(patch);
        user.Title = PatchedTitle;

        var group = ledger.Groups[(worker + index) % ledger.Groups.Count];
        var add = await http.PatchAsync($"Groups/{group.Id}", PatchOp("add", "members", new JsonArray(new JsonObject { ["value"] = user.Id })), preferred + 2);
        Expect(add, HttpStatusCode.NoContent, "PATCH group add member");
        Count(add);
        user.GroupId = group.Id;

        if (index % 4 == 3)
        {
            var delete = await http.DeleteAsync($"Users/{user.Id}", preferred + 3);
            Count(delete);
            if (delete.Status == HttpStatusCode.NotFound && delete.Uncertain)
            {
                Interlocked.Increment(ref ledger.RetriedDeletesFoundCommitted);
            }
            else
            {
                Expect(delete, HttpStatusCode.NoContent, "DELETE user");
            }

            user.Deleted = true;
        }
    }

    private async Task CreateAsync(ProvisioningLedger.UserEntry user, int preferred)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
            ["userName"] = user.UserName,
            ["externalId"] = user.ExternalId,
            ["name"] = new JsonObject { ["givenName"] = "Load", ["familyName"] = user.ExternalId },
            ["title"] = "created",
            ["active"] = true,
        };
        var reply = await http.PostAsync("Users", body, preferred);
        Count(reply);
        if (reply.Status == HttpStatusCode.Created)
        {
            if (reply.Uncertain)
            {
                Interlocked.Increment(ref ledger.RetriedCreatesCommittedOnRetry);
            }

            user.Id = reply.Body!["id"]!.GetValue<string>();
            return;
        }

        // 409 is only right when an earlier attempt of this very request was committed: then the user is ours.
        Assert.True(reply.Status == HttpStatusCode.Conflict && reply.Uncertain,
            $"Create of {user.UserName} answered {(int)reply.Status} after {reply.Attempts} attempt(s) (uncertain: {reply.Uncertain}): {reply.Body?.ToJsonString()}");
        Assert.Equal("uniqueness", reply.Body?["scimType"]?.GetValue<string>());
        var found = await http.GetAsync($"Users?filter={Uri.EscapeDataString($"userName eq \"{user.UserName}\"")}", preferred);
        Expect(found, HttpStatusCode.OK, "filter by userName");
        var resource = Assert.Single(found.Body!["Resources"]!.AsArray())!.AsObject();
        Assert.Equal(user.ExternalId, resource["externalId"]!.GetValue<string>());
        Assert.Equal("created", resource["title"]!.GetValue<string>());
        Interlocked.Increment(ref ledger.RetriedCreatesFoundCommitted);
        user.Id = resource["id"]!.GetValue<string>();
    }

    private void Count(Reply reply)
    {
        if (reply.Uncertain)
        {
            Interlocked.Increment(ref ledger.UncertainWrites);
        }
    }

    private static void Expect(Reply reply, HttpStatusCode status, string what) =>
        Assert.True(reply.Status == status, $"{what} answered {(int)reply.Status} (expected {(int)status}) after {reply.Attempts} attempt(s): {reply.Body?.ToJsonString()}");

    public static JsonObject PatchOp(string op, string path, JsonNode value) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
        ["Operations"] = new JsonArray(new JsonObject { ["op"] = op, ["path"] = path, ["value"] = value }),
    };
}
