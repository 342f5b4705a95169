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

        // A load, or none when this silo created the user (it knows a new user is in no group); then from memory.
        Assert.Empty(await cache.GetAsync(tenant, userId));
        var before = cache.Counts;
        Assert.Empty(await cache.GetAsync(tenant, userId));
        Assert.Equal((before.Hits + 1, before.Misses), cache.Counts);

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

    [Fact]
    public async Task A_new_user_added_to_a_group_shows_it_on_every_silo()
    {
        var tenant = await fixture.NewTenantAsync();
        var groupId = await CreateGroupAsync(tenant, "Joined");
        var userId = await CreateUserAsync(tenant, "joiner");

        await Group(tenant, groupId).Patch(AddMember(userId), null);

        Assert.Equal([new GroupMembershipEntry(groupId, "Joined", true)], await GroupsOnEverySiloAsync(tenant, userId));
    }

    [Fact]
    public async Task A_user_joining_a_nested_group_gains_the_groups_it_is_in_as_indirect()
    {
        var tenant = await fixture.NewTenantAsync();
        var team = await CreateGroupAsync(tenant, "Team");
        var division = await CreateGroupAsync(tenant, "Division", team);
        var company = await CreateGroupAsync(tenant, "Company", division);
        var userId = await CreateUserAsync(tenant, "nested-joiner");
        var other = await CreateGroupAsync(tenant, "Zeta");
        await Group(tenant, other).Patch(AddMember(userId), null);

        await Group(tenant, team).Patch(AddMember(userId), null);

        var groups = await GroupsOnEverySiloAsync(tenant, userId);
        Assert.Equal(
            new[] { (team, true), (other, true), (division, false), (company, false) }.OrderBy(g => g.Item2 ? 0 : 1).ThenBy(g => g.Item1, StringComparer.Ordinal),
            groups.Select(g => (g.GroupId, g.Direct)));
    }

    [Fact]
    public async Task In_one_change_a_member_leaving_and_one_joining_are_both_seen_everywhere()
    {
        var tenant = await fixture.NewTenantAsync();
        var leaving = await CreateUserAsync(tenant, "leaving");
        var joining = await CreateUserAsync(tenant, "joining");
        var groupId = await CreateGroupAsync(tenant, "Swap", leaving);
        Assert.Equal([groupId], await GroupIdsOnEverySiloAsync(tenant, leaving));
        Assert.Empty(await GroupIdsOnEverySiloAsync(tenant, joining));

        await Group(tenant, groupId).Patch(
            $$"""{"Operations":[{"op":"remove","path":"members[value eq \"{{leaving}}\"]"},{"op":"add","path":"members","value":[{"value":"{{joining}}"}]}]}""",
            null);

        Assert.Empty(await GroupIdsOnEverySiloAsync(tenant, leaving));
        Assert.Equal([groupId], await GroupIdsOnEverySiloAsync(tenant, joining));
    }

    [Fact]
    public async Task A_load_that_read_the_store_before_a_join_is_not_served_after_it()
    {
        var tenant = await fixture.NewTenantAsync();
        var userId = await CreateUserAsync(tenant, "racing-join");
        var groupId = await CreateGroupAsync(tenant, "Later");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cache = new UserGroupsCache(HeldStore.Create(fixture.Store, gate.Task, userId), Options.Create(new ScimGrainOptions()));

        // The load reads the store (no groups yet) and is held; the group adds the user and the cache hears of the join.
        var load = cache.GetAsync(tenant, userId);
        var since = cache.Ticket();
        await Group(tenant, groupId).Patch(AddMember(userId), null);
        await cache.JoinedGroupAsync(tenant, groupId, "Later", [userId], since);
        gate.SetResult();

        Assert.Empty(await load);
        Assert.Equal([groupId], (await cache.GetAsync(tenant, userId)).Select(g => g.GroupId));
    }

    [Fact]
    public async Task A_join_adds_to_groups_kept_before_it_without_a_store_read()
    {
        var tenant = await fixture.NewTenantAsync();
        var userId = await CreateUserAsync(tenant, "kept");
        var first = await CreateGroupAsync(tenant, "First", userId);
        var second = await CreateGroupAsync(tenant, "Second");
        using var cache = new UserGroupsCache(fixture.Store, Options.Create(new ScimGrainOptions()));
        Assert.Equal([first], (await cache.GetAsync(tenant, userId)).Select(g => g.GroupId));

        var since = cache.Ticket();
        await Group(tenant, second).Patch(AddMember(userId), null);
        await cache.JoinedGroupAsync(tenant, second, "Second", [userId], since);
        var misses = cache.Counts.Misses;

        // Ordered as the store orders them, and answered from memory.
        Assert.Equal(await fixture.Store.GetGroupsOfMemberAsync(tenant, userId), await cache.GetAsync(tenant, userId));
        Assert.Equal(misses, cache.Counts.Misses);
    }

    [Fact]
    public async Task A_join_heard_late_is_not_added_to_groups_read_after_a_removal_that_followed_it()
    {
        var tenant = await fixture.NewTenantAsync();
        var userId = await CreateUserAsync(tenant, "late-join");
        var groupId = await CreateGroupAsync(tenant, "Gone");
        using var cache = new UserGroupsCache(fixture.Store, Options.Create(new ScimGrainOptions()));
        Assert.Empty(await cache.GetAsync(tenant, userId));

        // The add commits; before its join reaches the cache, the user is removed again, the removal's invalidation is
        // processed and the groups are read again (none).
        var since = cache.Ticket();
        await Group(tenant, groupId).Patch(AddMember(userId), null);
        await Group(tenant, groupId).Patch($$"""{"Operations":[{"op":"remove","path":"members[value eq \"{{userId}}\"]"}]}""", null);
        cache.InvalidateUsers(tenant, [userId]);
        Assert.Empty(await cache.GetAsync(tenant, userId));

        await cache.JoinedGroupAsync(tenant, groupId, "Gone", [userId], since);

        Assert.Empty(await cache.GetAsync(tenant, userId));
    }


    /// <summary>The user's groups as every silo's cache answers them (twice each), checked equal to the store's, in its order.</summary>
    private async Task<IReadOnlyList<GroupMembershipEntry>> GroupsOnEverySiloAsync(string tenant, string userId)
    {
        var expected = await fixture.Store.GetGroupsOfMemberAsync(tenant, userId);
        foreach (var cache in fixture.GroupsCaches)
        {
            // Twice: the second read is answered from memory when the first was a load.
            for (var read = 0; read < 2; read++)
            {
                Assert.Equal(expected, await cache.GetAsync(tenant, userId));
            }
        }

        return expected;
    }

    /// <summary>The user's group ids, sorted, once every silo's cache has answered the store's groups (see <see cref="GroupsOnEverySiloAsync"/>).</summary>
    private async Task<List<string>> GroupIdsOnEverySiloAsync(string tenant, string userId) =>
        [.. (await GroupsOnEverySiloAsync(tenant, userId)).Select(g => g.GroupId).Order(StringComparer.Ordinal)];

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


    /// <summary>
    /// The real store, except that a member's groups (only <c>heldMember</c>'s, when given), once read, are handed back
    /// only when the gate opens.
    /// </summary>
    public class HeldStore : DispatchProxy
    {
        private IScimStore inner = null!;
        private Task gate = Task.CompletedTask;
        private string? heldMember;

        public static IScimStore Create(IScimStore inner, Task gate, string? heldMember = null)
        {
            var store = DispatchProxy.Create<IScimStore, HeldStore>();
            var held = (HeldStore)(object)store;
            held.inner = inner;
            held.gate = gate;
            held.heldMember = heldMember;
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(inner, args);
            return targetMethod.Name == nameof(IScimStore.GetGroupsOfMemberAsync) && (heldMember is null || Equals(args![1], heldMember))
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
