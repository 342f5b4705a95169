namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Contract, groups of many members at once: <see cref="IScimStore.GetGroupsOfMembersAsync"/> answers, for every
/// member, exactly what <see cref="IScimStore.GetGroupsOfMemberAsync"/> answers for that member alone.
/// </summary>
public abstract partial class ScimStoreContractTests
{
    [Fact]
    public async Task Groups_of_many_members_match_the_groups_of_each_member_through_nesting_and_cycles()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var carol = await CreateUserAsync("carol");
        var loner = await CreateUserAsync("loner");
        var a = await CreateGroupAsync("A", members: [alice.Id]);
        var b = await CreateGroupAsync("B", members: [a.Id, bob.Id]);
        var c = await CreateGroupAsync("C", members: [b.Id, alice.Id]);
        var d = await CreateGroupAsync("D");
        var e = await CreateGroupAsync("E", members: [carol.Id]);
        var empty = await CreateGroupAsync("Empty");

        // Close a cycle A -> B -> C -> A, hang D under C; E stands alone.
        await UpdateGroupAsync(a, add: [c.Id], rowChanged: false);
        await UpdateGroupAsync(d, add: [c.Id], rowChanged: false);

        // The same edges in another tenant must not leak into this one.
        var elsewhere = "other-" + Guid.NewGuid().ToString("N");
        await Store.CreateTenantAsync(elsewhere, DateTimeOffset.UnixEpoch);
        var at = Tick();
        await Store.CommitAsync(Create(UserRow(alice.Id, "alice", 1, at, at, tenant: elsewhere)));
        await CreateGroupAsync("Other", members: [alice.Id], tenant: elsewhere);

        string[] ids = [alice.Id, bob.Id, carol.Id, loner.Id, a.Id, b.Id, c.Id, d.Id, e.Id, empty.Id, "nobody", alice.Id];
        var batched = await Store.GetGroupsOfMembersAsync(Tenant, ids);

        // One entry per distinct id, members without groups included (empty).
        Assert.Equal(ids.Distinct().Order(StringComparer.Ordinal), batched.Keys.Order(StringComparer.Ordinal));
        foreach (var id in ids.Distinct())
        {
            var single = await Store.GetGroupsOfMemberAsync(Tenant, id);
            Assert.Equal(single, batched[id]);
        }

        Assert.Empty(batched[loner.Id]);
        Assert.Empty(batched["nobody"]);
        Assert.Empty(batched[e.Id]);
        Assert.Equal([new GroupMembershipEntry(e.Id, "E", true)], batched[carol.Id]);

        // Direct before indirect, each by group id; a group reached both ways counts as direct.
        var direct = new[] { a.Id, c.Id }.Order(StringComparer.Ordinal).Select(id => new GroupMembershipEntry(id, id == a.Id ? "A" : "C", true));
        var indirect = new[] { b.Id, d.Id }.Order(StringComparer.Ordinal).Select(id => new GroupMembershipEntry(id, id == b.Id ? "B" : "D", false));
        Assert.Equal(direct.Concat(indirect), batched[alice.Id]);

        // A group inside the cycle is not its own ancestor.
        Assert.DoesNotContain(batched[a.Id], g => g.GroupId == a.Id);
        Assert.Equal(new[] { b.Id, c.Id, d.Id }.Order(StringComparer.Ordinal), batched[a.Id].Select(g => g.GroupId).Order(StringComparer.Ordinal));
        Assert.Equal([new GroupMembershipEntry(b.Id, "B", true)], batched[a.Id].Where(g => g.Direct));
        Assert.Equal(new[] { a.Id, b.Id, d.Id }.Order(StringComparer.Ordinal), batched[c.Id].Select(g => g.GroupId).Order(StringComparer.Ordinal));

        // The other tenant sees only its own edge.
        Assert.Equal(["Other"], (await Store.GetGroupsOfMembersAsync(elsewhere, [alice.Id]))[alice.Id].Select(g => g.DisplayName));
    }

    [Fact]
    public async Task Groups_of_no_members_is_an_empty_answer()
    {
        Assert.Empty(await Store.GetGroupsOfMembersAsync(Tenant, []));
    }
}
