using System.Text.Json.Nodes;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Tests;

/// <summary>User and group grains on a two-silo test cluster with a real SQLite store.</summary>
public sealed class ResourceGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private readonly IGrainFactory grains = fixture.Grains;

    [Fact]
    public async Task Create_then_get_returns_the_stored_resource_with_version_one()
    {
        var tenant = await fixture.NewTenantAsync();
        var user = User(tenant, out var id);

        var created = await user.Create("""{"userName":"ada@example.com","name":{"givenName":"Ada"}}""");
        var read = await user.Get();

        Assert.Null(created.Error);
        Assert.Equal(1, created.Resource!.Version);
        var json = JsonNode.Parse(read.Resource!.Json)!;
        Assert.Equal(id, json["id"]!.GetValue<string>());
        Assert.Equal("ada@example.com", json["userName"]!.GetValue<string>());
        Assert.Null(json["meta"]);
    }

    [Fact]
    public async Task Create_on_an_id_that_already_exists_is_a_409_and_writes_nothing()
    {
        var tenant = await fixture.NewTenantAsync();
        var id = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;
        // The row exists in the store, but no activation has seen it: the create skips its read and must still fail.
        await fixture.Store.CommitAsync(new ResourceCommit(
            tenant, ResourceKind.User, id, CommitAction.Create, 0,
            new ResourceRow(tenant, ResourceKind.User, id, 1, $$"""{"id":"{{id}}","userName":"first@example.com"}""", now, now, new IndexedAttributes("first@example.com", null, null, null, null)),
            true, null, false, []));
        var user = grains.GetGrain<IUserGrain>(ResourceKeys.User(tenant, id));

        var second = await user.Create("""{"userName":"second@example.com"}""");
        var again = await user.Create("""{"userName":"third@example.com"}""");

        Assert.Equal(409, second.Error!.Status);
        Assert.Equal(409, again.Error!.Status);
        var read = await user.Get();
        Assert.Equal("first@example.com", JsonNode.Parse(read.Resource!.Json)!["userName"]!.GetValue<string>());
        Assert.Empty(await fixture.Store.ReadEventsAsync(tenant, 0, 10));
    }

    [Fact]
    public async Task A_patch_that_changes_nothing_keeps_version_and_emits_no_event()
    {
        var tenant = await fixture.NewTenantAsync();
        var user = User(tenant, out _);
        await user.Create("""{"userName":"same@example.com","displayName":"Same"}""");

        var result = await user.Patch("""{"Operations":[{"op":"replace","path":"displayName","value":"Same"}]}""", null);

        Assert.False(result.Changed);
        Assert.Equal(1, result.Resource!.Version);
        var events = await fixture.Store.ReadEventsAsync(tenant, 0, 100);
        Assert.Equal(["user.created"], events.Select(e => e.Type));
    }

    [Fact]
    public async Task Errors_come_back_as_data_with_status_and_scim_type()
    {
        var tenant = await fixture.NewTenantAsync();
        var user = User(tenant, out _);

        var missing = await user.Get();
        var invalid = await user.Create("""{"displayName":"no userName"}""");

        Assert.Equal(404, missing.Error!.Status);
        Assert.Equal(400, invalid.Error!.Status);
        Assert.Equal("invalidValue", invalid.Error.ScimType);
    }

    [Fact]
    public async Task Deactivation_removes_memberships_and_the_group_grain_sees_its_new_version()
    {
        var tenant = await fixture.NewTenantAsync();
        var user = User(tenant, out var userId);
        await user.Create("""{"userName":"leaver@example.com","active":true}""");
        var group = grains.GetGrain<IGroupGrain>(ResourceKeys.Group(tenant, Guid.NewGuid().ToString()));
        await group.Create($$"""{"displayName":"Team","members":[{"value":"{{userId}}"}]}""");
        var before = (await group.Get()).Resource!.Version;

        var deactivated = await user.Patch("""{"Operations":[{"op":"Replace","path":"active","value":"False"}]}""", null);

        Assert.Null(deactivated.Error);
        Assert.Empty(await fixture.Store.GetMembersAsync(tenant, (await group.Get()).Resource!.Id, 10));
        // The group grain was told to drop its copy; its next read shows the version the store bumped.
        var after = await WaitForAsync(async () => (await group.Get()).Resource!.Version, v => v > before);
        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task Concurrent_member_adds_through_both_silos_are_all_applied()
    {
        var tenant = await fixture.NewTenantAsync();
        var groupId = Guid.NewGuid().ToString();
        var group = grains.GetGrain<IGroupGrain>(ResourceKeys.Group(tenant, groupId));
        await group.Create("""{"displayName":"Crowd"}""");
        var userIds = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var user = User(tenant, out var id);
            await user.Create($$"""{"userName":"crowd{{i}}@example.com"}""");
            userIds.Add(id);
        }

        var results = await Task.WhenAll(userIds.Select(id =>
            group.Patch($$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{id}}"}]}]}""", null)));

        Assert.All(results, r => Assert.Null(r.Error));
        var members = await fixture.Store.GetMembersAsync(tenant, groupId, 100);
        Assert.Equal(userIds.Order(), members.Select(m => m.Id).Order());
        Assert.Equal(31, (await group.Get()).Resource!.Version);
    }

    [Fact]
    public async Task Stale_if_match_is_refused_with_412()
    {
        var tenant = await fixture.NewTenantAsync();
        var user = User(tenant, out _);
        await user.Create("""{"userName":"etag@example.com"}""");
        await user.Patch("""{"Operations":[{"op":"replace","path":"displayName","value":"v2"}]}""", "W/\"1\"");

        var stale = await user.Patch("""{"Operations":[{"op":"replace","path":"displayName","value":"v3"}]}""", "W/\"1\"");

        Assert.Equal(412, stale.Error!.Status);
    }

    [Fact]
    public async Task Delete_removes_the_user_and_its_edges()
    {
        var tenant = await fixture.NewTenantAsync();
        var user = User(tenant, out var userId);
        await user.Create("""{"userName":"gone@example.com"}""");
        var groupId = Guid.NewGuid().ToString();
        await grains.GetGrain<IGroupGrain>(ResourceKeys.Group(tenant, groupId)).Create($$"""{"displayName":"G","members":[{"value":"{{userId}}"}]}""");

        var deleted = await user.Delete(null);

        Assert.Null(deleted.Error);
        Assert.Equal(404, (await user.Get()).Error!.Status);
        Assert.Null(await fixture.Store.GetAsync(tenant, ResourceKind.User, userId));
        Assert.Empty(await fixture.Store.GetMembersAsync(tenant, groupId, 10));
    }

    private IUserGrain User(string tenant, out string id)
    {
        id = Guid.NewGuid().ToString();
        return grains.GetGrain<IUserGrain>(ResourceKeys.User(tenant, id));
    }


    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        for (var attempt = 0; ; attempt++)
        {
            var value = await read();
            if (done(value) || attempt == 50)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }
}
