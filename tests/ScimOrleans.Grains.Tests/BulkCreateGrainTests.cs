using System.Text.Json.Nodes;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Tests;

/// <summary>
/// The bulk creator and the cached grain references, on the two-silo test cluster with a real SQLite store: a bulk
/// create must answer exactly what each single create would, and leave resources their grains serve like any other.
/// </summary>
public sealed class BulkCreateGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private readonly IGrainFactory grains = fixture.Grains;

    [Fact]
    public async Task Bulk_creates_validate_like_single_creates_and_fail_alone()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..10];
        await grains.GetTenantGrain(tenant).Create(MembershipPolicy.RemoveFromGroups);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString()).ToArray();
        NewResource[] users =
        [
            new(ids[0], """{"userName":"ada@example.com","password":"Secret-1","name":{"givenName":"Ada"}}"""),
            new(ids[1], """{"displayName":"no userName"}"""),
            new(ids[2], """{"userName":"ADA@example.com"}"""),
            new(ids[3], "{not json"),
            new(ids[4], """{"userName":"grace@example.com","active":"False"}"""),
        ];

        var results = await grains.GetGrain<IBulkCreateGrain>(tenant).CreateUsers(users);

        Assert.Equal(5, results.Count);
        Assert.Equal(1, results[0].Resource!.Version);
        Assert.Equal(ids[0], results[0].Resource!.Id);
        Assert.Equal((400, "invalidValue"), (results[1].Error!.Status, results[1].Error!.ScimType));
        Assert.Equal((409, "uniqueness"), (results[2].Error!.Status, results[2].Error!.ScimType));
        Assert.Equal((400, "invalidSyntax"), (results[3].Error!.Status, results[3].Error!.ScimType));
        Assert.Null(results[4].Error);

        // The stored resources are what a single create stores: the password hashed apart from the JSON, the
        // "False" string normalised, and each resource's grain serves it.
        Assert.StartsWith("pbkdf2-sha256$", await fixture.Store.GetPasswordHashAsync(tenant, ids[0]));
        var ada = JsonNode.Parse((await grains.GetUserGrain(tenant, ids[0]).Get()).Resource!.Json)!;
        Assert.Null(ada["password"]);
        Assert.Equal("Ada", ada["name"]!["givenName"]!.GetValue<string>());
        var grace = JsonNode.Parse((await grains.GetUserGrain(tenant, ids[4]).Get()).Resource!.Json)!;
        Assert.False(grace["active"]!.GetValue<bool>());
        Assert.Equal(404, (await grains.GetUserGrain(tenant, ids[1]).Get()).Error!.Status);
        var events = await fixture.Store.ReadEventsAsync(tenant, 0, 100);
        Assert.Equal([ids[0], ids[4]], events.Select(e => e.ResourceId));
        Assert.All(events, e => Assert.Equal("user.created", e.Type));
    }

    [Fact]
    public async Task Bulk_created_groups_keep_their_members_and_the_cached_references_reach_the_same_grains()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..10];
        await grains.GetTenantGrain(tenant).Create(MembershipPolicy.RemoveFromGroups);
        var userId = Guid.NewGuid().ToString();
        await grains.GetUserGrain(tenant, userId).Create("""{"userName":"member@example.com"}""");
        var groupId = Guid.NewGuid().ToString();

        var results = await grains.GetGrain<IBulkCreateGrain>(tenant).CreateGroups(
            [new NewResource(groupId, $$"""{"displayName":"Team","members":[{"value":"{{userId}}"}]}""")]);

        Assert.Null(results[0].Error);
        Assert.Equal(1, await fixture.Store.CountMembersAsync(tenant, groupId));
        Assert.Equal(grains.GetGrain<IGroupGrain>(ResourceKeys.Group(tenant, groupId)), grains.GetGroupGrain(tenant, groupId));
        Assert.Equal(grains.GetGrain<IUserGrain>(ResourceKeys.User(tenant, userId)), grains.GetUserGrain(tenant, userId));
        Assert.Equal(grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant(tenant)), grains.GetTenantGrain(tenant));
        var group = JsonNode.Parse((await grains.GetGroupGrain(tenant, groupId).Get()).Resource!.Json)!;
        Assert.Equal("Team", group["displayName"]!.GetValue<string>());
    }
}
