namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Contract, freshness of a member's groups: a store may remember groups it has read, but once a commit that changes
/// them has returned, no read answers from before it — membership edits, nesting, a group's rename or deletion, a user
/// leaving every group. Both stores read the edges every time; the silos cache users' groups above the store and
/// invalidate them from what each commit reports it changed (<see cref="CommitResult.ChangedMembers"/>), checked here too.
/// </summary>
public abstract partial class ScimStoreContractTests
{
    [Fact]
    public async Task A_commit_names_the_members_whose_groups_it_changed()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var at = Tick();
        var team = GroupRow(Guid.NewGuid().ToString(), "Team", 1, at, at);

        var created = await Store.CommitAsync(Create(team, new MembershipEdit(false, [alice.Id], [])));
        Assert.Equal([alice.Id], created.ChangedMembers);
        Assert.Equal([alice.Id], created.JoinedUsers);
        Assert.False(created.GroupMemberChanged);

        var swapped = await UpdateGroupAsync((await Store.GetAsync(Tenant, ResourceKind.Group, team.Id))!, add: [bob.Id, alice.Id], remove: [alice.Id]);
        Assert.Equal([bob.Id], swapped.ChangedMembers);
        Assert.Equal([bob.Id], swapped.JoinedUsers);

        var again = await UpdateGroupAsync((await Store.GetAsync(Tenant, ResourceKind.Group, team.Id))!, add: [bob.Id]);
        Assert.Empty(again.ChangedMembers!);
        Assert.Empty(again.JoinedUsers!);

        // Users that left are named as changed but not as joined, also when others joined in the same commit.
        var carol = await CreateUserAsync("carol");
        var left = await UpdateGroupAsync((await Store.GetAsync(Tenant, ResourceKind.Group, team.Id))!, add: [carol.Id], remove: [alice.Id]);
        Assert.Equal(new[] { alice.Id, carol.Id }.Order(StringComparer.Ordinal), left.ChangedMembers!.Order(StringComparer.Ordinal));
        Assert.Equal([carol.Id], left.JoinedUsers);

        var outer = await CreateGroupAsync("Outer");
        var nested = await UpdateGroupAsync(outer, add: [team.Id]);
        Assert.Equal([team.Id], nested.ChangedMembers);
        Assert.Empty(nested.JoinedUsers!);
        Assert.True(nested.GroupMemberChanged);

        var bobNow = (await Store.GetAsync(Tenant, ResourceKind.User, bob.Id))!;
        var deleted = await Store.CommitAsync(Delete(ResourceKind.User, bob.Id, bobNow.Version, [new EventDraft("user.deleted", ResourceKind.User, bob.Id, null)]));
        Assert.Equal([bob.Id], deleted.ChangedMembers);
        Assert.Empty(deleted.JoinedUsers!);
        Assert.False(deleted.GroupMemberChanged);
    }

    [Fact]
    public async Task Groups_read_before_a_change_are_never_answered_after_it()
    {
        var alice = await CreateUserAsync("alice");
        var inner = await CreateGroupAsync("Inner");
        var outer = await CreateGroupAsync("Outer");
        Assert.Empty(await Store.GetGroupsOfMemberAsync(Tenant, alice.Id));

        await UpdateGroupAsync(inner, add: [alice.Id]);
        Assert.Equal([new GroupMembershipEntry(inner.Id, "Inner", true)], await Store.GetGroupsOfMemberAsync(Tenant, alice.Id));

        // Nesting: alice gains Outer through Inner, without any change to her own edges.
        await UpdateGroupAsync(outer, add: [inner.Id]);
        Assert.Equal(
            [new GroupMembershipEntry(inner.Id, "Inner", true), new GroupMembershipEntry(outer.Id, "Outer", false)],
            await Store.GetGroupsOfMemberAsync(Tenant, alice.Id));

        // A rename of the outer group shows in alice's groups.
        var outerNow = (await Store.GetAsync(Tenant, ResourceKind.Group, outer.Id))!;
        var renamed = GroupRow(outer.Id, "Renamed", outerNow.Version + 1, Tick(), outer.Created);
        await Store.CommitAsync(Update(renamed, outerNow.Version, [new EventDraft("group.updated", ResourceKind.Group, outer.Id, null)]));
        Assert.Contains(new GroupMembershipEntry(outer.Id, "Renamed", false), await Store.GetGroupsOfMemberAsync(Tenant, alice.Id));

        // Deleting the inner group takes both away.
        var innerNow = (await Store.GetAsync(Tenant, ResourceKind.Group, inner.Id))!;
        await Store.CommitAsync(Delete(ResourceKind.Group, inner.Id, innerNow.Version, [new EventDraft("group.deleted", ResourceKind.Group, inner.Id, null)]));
        Assert.Empty(await Store.GetGroupsOfMemberAsync(Tenant, alice.Id));

        // Leaving every group (deactivation under the default policy).
        await UpdateGroupAsync((await Store.GetAsync(Tenant, ResourceKind.Group, outer.Id))!, add: [alice.Id]);
        Assert.Single(await Store.GetGroupsOfMemberAsync(Tenant, alice.Id));
        var aliceNow = (await Store.GetAsync(Tenant, ResourceKind.User, alice.Id))!;
        await Store.CommitAsync(Update(aliceNow with { Version = aliceNow.Version + 1, LastModified = Tick() }, aliceNow.Version, []) with
        {
            RemoveFromAllGroups = true,
        });
        Assert.Empty(await Store.GetGroupsOfMemberAsync(Tenant, alice.Id));
        Assert.Empty((await Store.GetGroupsOfMembersAsync(Tenant, [alice.Id]))[alice.Id]);
    }

    [Fact]
    public async Task Every_acknowledged_membership_change_is_seen_by_the_next_read_while_reads_race_the_writes()
    {
        var user = await CreateUserAsync("racer");
        var groups = new List<ResourceRow>();
        for (var i = 0; i < 20; i++)
        {
            groups.Add(await CreateGroupAsync($"G{i}"));
        }

        // Readers keep reading the user's groups while the writer adds the user to one group after another, so reads
        // that started before a commit finish after it; each acknowledged add must be visible to the next read.
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Store.GetGroupsOfMemberAsync(Tenant, user.Id);
            }
        })).ToList();

        try
        {
            for (var i = 0; i < groups.Count; i++)
            {
                await UpdateGroupAsync(groups[i], add: [user.Id]);
                var seen = await Store.GetGroupsOfMemberAsync(Tenant, user.Id);
                Assert.Equal(i + 1, seen.Count);
                Assert.Contains(seen, g => g.GroupId == groups[i].Id);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(readers);
        }
    }
}
