using System.Reflection;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Grains.Membership;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Tests;

/// <summary>
/// Each silo's cache of users' groups against writes made through grains on a two-silo cluster: whichever silo ran
/// the write, every silo's cache answers with the store's groups once the write is acknowledged.
/// </summary>
public sealed class UserGroupsCacheTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private readonly IGrainFactory grains = fixture.Grains;

    [Fact]
    public async Task A_hot_user_is_answered_from_memory_until_a_group_adds_it()
    {
        var tenant = await fixture.NewTenantAsync();
        var userId = await CreateUserAsync(tenant, "hot");
        var groupId = await CreateGroupAsync(tenant, "Engineering");
        var cache = fixture.GroupsCaches[0];
        var before = cache.Counts;

        Assert.Empty(await cache.GetAsync(tenant, userId));
        Assert.Empty(await cache.GetAsync(tenant, userId));
        Assert.Equal(before.Hits + 1, cache.Counts.Hits);

        await Group(tenant, groupId).Patch(AddMember(userId), null);

        Assert.Equal([groupId], await GroupIdsOnEverySiloAsync(tenant, userId));
    }

    [Fact]
    public async Task A_users_first_read_brings_its_groups_into_memory()
    {
        var tenant = await fixture.NewTenantAsync();
        var userId = await CreateUserAsync(tenant, "cold");
        var groupId = await CreateGroupAsync(tenant, "Operations", userId);
        var cache = fixture.GroupsCaches[1];

        var row = await cache.LoadUserAsync(tenant, userId);
        Assert.Equal(userId, row!.Id);
        var before = cache.Counts;
        Assert.Equal([groupId], (await cache.GetAsync(tenant, userId)).Select(g => g.GroupId));
        Assert.Equal((before.Hits + 1, before.Misses), cache.Counts);

        // What the load kept does not hide a change made after it.
        await Group(tenant, groupId).Patch($$"""{"Operations":[{"op":"remove","path":"members[value eq \"{{userId}}\"]"}]}""", null);
        Assert.Empty(await GroupIdsOnEverySiloAsync(tenant, userId));
        Assert.Null(await cache.LoadUserAsync(tenant, "nobody"));
    }

    [Fact]
    public async Task Every_silo_sees_a_removal_a_rename_and_a_deactivation()
    {
        var tenant = await fixture.NewTenantAsync();
        var userId = await CreateUserAsync(tenant, "everywhere");
        var groupId = await CreateGroupAsync(tenant, "Sales", userId);
        var other = await CreateGroupAsync(tenant, "Support", userId);
        Assert.Equal(new[] { groupId, other }.Order(StringComparer.Ordinal), await GroupIdsOnEverySiloAsync(tenant, userId));

        await Group(tenant, other).Patch($$"""{"Operations":[{"op":"remove","path":"members[value eq \"{{userId}}\"]"}]}""", null);
        Assert.Equal([groupId], await GroupIdsOnEverySiloAsync(tenant, userId));

        await Group(tenant, groupId).Patch("""{"Operations":[{"op":"replace","path":"displayName","value":"Sales EMEA"}]}""", null);
        foreach (var cache in fixture.GroupsCaches)
        {
            Assert.Equal("Sales EMEA", Assert.Single(await cache.GetAsync(tenant, userId)).DisplayName);
        }

        await grains.GetGrain<IUserGrain>(ResourceKeys.User(tenant, userId)).Patch("""{"Operations":[{"op":"replace","value":{"active":false}}]}""", null);
        Assert.Empty(await GroupIdsOnEverySiloAsync(tenant, userId));
    }

    [Fact]
    public async Task Nesting_a_group_and_deleting_it_reach_the_indirect_members()
    {
        var tenant = await fixture.NewTenantAsync();
        var userId = await CreateUserAsync(tenant, "nested");
        var team = await CreateGroupAsync(tenant, "Team", userId);
        var division = await CreateGroupAsync(tenant, "Division");
        Assert.Equal([team], await GroupIdsOnEverySiloAsync(tenant, userId));

        await Group(tenant, division).Patch(AddMember(team), null);
        foreach (var cache in fixture.GroupsCaches)
        {
            var groups = await cache.GetAsync(tenant, userId);
            Assert.Equal([(team, true), (division, false)], groups.Select(g => (g.GroupId, g.Direct)).OrderBy(g => g.Direct ? 0 : 1));
        }

        await Group(tenant, team).Delete(null);
        Assert.Empty(await GroupIdsOnEverySiloAsync(tenant, userId));
    }

    [Fact]
    public async Task Groups_created_through_the_bulk_creator_reach_their_members()
    {
        var tenant = await fixture.NewTenantAsync();
        var userId = await CreateUserAsync(tenant, "bulk");
        Assert.Empty(await GroupIdsOnEverySiloAsync(tenant, userId));
        var groupId = Guid.NewGuid().ToString();

        var results = await grains.GetGrain<IBulkCreateGrain>(tenant)
            .CreateGroups([new NewResource(groupId, $$"""{"displayName":"Bulk","members":[{"value":"{{userId}}"}]}""")]);

        Assert.Null(Assert.Single(results).Error);
        Assert.Equal([groupId], await GroupIdsOnEverySiloAsync(tenant, userId));
    }

    [Fact]
    public async Task A_load_that_read_the_store_before_an_invalidation_is_not_served_after_it()
    {
        var tenant = await fixture.NewTenantAsync();
        var userId = await CreateUserAsync(tenant, "racing");
        var groupId = await CreateGroupAsync(tenant, "Late");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cache = new UserGroupsCache(HeldStore.Create(fixture.Store, gate.Task), Options.Create(new ScimGrainOptions()));

        // The load reads the store (no groups yet) and is held before it keeps the result; meanwhile the group adds the
        // user and the cache is invalidated, as the group grain does after its commit.
        var load = cache.GetAsync(tenant, userId);
        await Group(tenant, groupId).Patch(AddMember(userId), null);
        cache.InvalidateUsers(tenant, [userId]);
        gate.SetResult();

        Assert.Empty(await load);
        Assert.Equal([groupId], (await cache.GetAsync(tenant, userId)).Select(g => g.GroupId));
    }

    private async Task<List<string>> GroupIdsOnEverySiloAsync(string tenant, string userId)
    {
        var expected = (await fixture.Store.GetGroupsOfMemberAsync(tenant, userId)).Select(g => g.GroupId).Order(StringComparer.Ordinal).ToList();
        foreach (var cache in fixture.GroupsCaches)
        {
            // Twice: the second read is answered from memory when the first was a load.
            for (var read = 0; read < 2; read++)
            {
                Assert.Equal(expected, (await cache.GetAsync(tenant, userId)).Select(g => g.GroupId).Order(StringComparer.Ordinal));
            }
        }

        return expected;
    }

    private static string AddMember(string id) => $$"""{"Operations":[{"op":"add","path":"members","value":[{"value":"{{id}}"}]}]}""";

    private IGroupGrain Group(string tenant, string id) => grains.GetGrain<IGroupGrain>(ResourceKeys.Group(tenant, id));

    private async Task<string> CreateUserAsync(string tenant, string name)
    {
        var id = Guid.NewGuid().ToString();
        var created = await grains.GetGrain<IUserGrain>(ResourceKeys.User(tenant, id)).Create($$"""{"userName":"{{name}}@example.com"}""");
        Assert.Null(created.Error);
        return id;
    }

    private async Task<string> CreateGroupAsync(string tenant, string displayName, params string[] members)
    {
        var id = Guid.NewGuid().ToString();
        var list = string.Join(",", members.Select(m => $$"""{"value":"{{m}}"}"""));
        var created = await Group(tenant, id).Create($$"""{"displayName":"{{displayName}}","members":[{{list}}]}""");
        Assert.Null(created.Error);
        return id;
    }


    /// <summary>The real store, except that a user's groups, once read, are handed back only when the gate opens.</summary>
    public class HeldStore : DispatchProxy
    {
        private IScimStore inner = null!;
        private Task gate = Task.CompletedTask;

        public static IScimStore Create(IScimStore inner, Task gate)
        {
            var store = DispatchProxy.Create<IScimStore, HeldStore>();
            var held = (HeldStore)(object)store;
            held.inner = inner;
            held.gate = gate;
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(inner, args);
            return targetMethod.Name == nameof(IScimStore.GetGroupsOfMemberAsync)
                ? HoldAsync((Task<IReadOnlyList<GroupMembershipEntry>>)result!)
                : result;
        }

        private async Task<IReadOnlyList<GroupMembershipEntry>> HoldAsync(Task<IReadOnlyList<GroupMembershipEntry>> read)
        {
            var groups = await read;
            await gate;
            return groups;
        }
    }
}
