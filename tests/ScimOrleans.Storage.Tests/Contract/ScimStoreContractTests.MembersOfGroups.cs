namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Contract, members of many groups at once: <see cref="IScimStore.GetMembersOfGroupsAsync"/> answers, for every
/// group, exactly what <see cref="IScimStore.GetMembersAsync"/> answers for that group alone with the same limit.
/// </summary>
public abstract partial class ScimStoreContractTests
{
    [Fact]
    public async Task Members_of_many_groups_match_the_members_of_each_group()
    {
        var named = await CreateUserAsync("named", displayName: "Named Person");
        var plain = await CreateUserAsync("plain.user");
        var carol = await CreateUserAsync("carol");
        var child = await CreateGroupAsync("Child", members: [carol.Id]);
        var team = await CreateGroupAsync("Team", members: [plain.Id, child.Id, named.Id]);
        var pair = await CreateGroupAsync("Pair", members: [carol.Id, named.Id]);
        var empty = await CreateGroupAsync("Empty");

        // Another tenant holds a group with Team's id, edges to the same member ids plus one of its own, and other
        // display values: none of it may show in this tenant's answer.
        var elsewhere = "other-" + Guid.NewGuid().ToString("N");
        await Store.CreateTenantAsync(elsewhere, DateTimeOffset.UnixEpoch);
        var at = Tick();
        await Store.CommitAsync(Create(UserRow(named.Id, "named.elsewhere", 1, at, at, displayName: "Someone Else", tenant: elsewhere)));
        await Store.CommitAsync(Create(UserRow(plain.Id, "plain.elsewhere", 1, at, at, tenant: elsewhere)));
        var stranger = await CreateUserAsync("stranger", tenant: elsewhere);
        await Store.CommitAsync(Create(
            GroupRow(team.Id, "Team elsewhere", 1, at, at, tenant: elsewhere),
            new MembershipEdit(false, [named.Id, plain.Id, stranger.Id], [])));

        string[] ids = [team.Id, child.Id, pair.Id, empty.Id, "no-such-group", carol.Id, team.Id];
        var batched = await Store.GetMembersOfGroupsAsync(Tenant, ids, 10);

        // One entry per distinct id, groups without members (and ids that are no group) included, empty.
        Assert.Equal(ids.Distinct().Order(StringComparer.Ordinal), batched.Keys.Order(StringComparer.Ordinal));
        foreach (var id in ids.Distinct())
        {
            Assert.Equal(await Store.GetMembersAsync(Tenant, id, 10), batched[id]);
        }

        Assert.Empty(batched[empty.Id]);
        Assert.Empty(batched["no-such-group"]);
        Assert.Empty(batched[carol.Id]);

        // By member id, with each member's kind and display value: displayName, else userName; a group's displayName.
        var expectedTeam = new[]
        {
            new MemberEntry(named.Id, ResourceKind.User, "Named Person"),
            new MemberEntry(plain.Id, ResourceKind.User, "plain.user"),
            new MemberEntry(child.Id, ResourceKind.Group, "Child"),
        }.OrderBy(m => m.Id, StringComparer.Ordinal);
        Assert.Equal(expectedTeam, batched[team.Id]);
        Assert.Equal([new MemberEntry(carol.Id, ResourceKind.User, "carol")], batched[child.Id]);
        Assert.Equal(new[] { carol.Id, named.Id }.Order(StringComparer.Ordinal), batched[pair.Id].Select(m => m.Id));

        // The other tenant sees only its own edges and display values.
        var other = (await Store.GetMembersOfGroupsAsync(elsewhere, [team.Id], 10))[team.Id];
        Assert.Equal(await Store.GetMembersAsync(elsewhere, team.Id, 10), other);
        Assert.Equal(new[] { named.Id, plain.Id, stranger.Id }.Order(StringComparer.Ordinal), other.Select(m => m.Id));
        Assert.Contains(new MemberEntry(named.Id, ResourceKind.User, "Someone Else"), other);
    }

    [Fact]
    public async Task Members_of_many_groups_are_limited_per_group_to_the_first_by_member_id()
    {
        var users = new List<ResourceRow>();
        for (var i = 0; i < 6; i++)
        {
            users.Add(await CreateUserAsync("user" + i));
        }

        var big = await CreateGroupAsync("Big", members: [.. users.Select(u => u.Id)]);
        var three = await CreateGroupAsync("Three", members: [users[5].Id, users[0].Id, users[3].Id]);
        var one = await CreateGroupAsync("One", members: [users[4].Id]);
        string[] ids = [big.Id, three.Id, one.Id];

        foreach (var limit in new[] { 1, 2, 3, 6, 100 })
        {
            var batched = await Store.GetMembersOfGroupsAsync(Tenant, ids, limit);
            foreach (var id in ids)
            {
                Assert.Equal(await Store.GetMembersAsync(Tenant, id, limit), batched[id]);
            }

            Assert.Equal(users.Select(u => u.Id).Order(StringComparer.Ordinal).Take(limit), batched[big.Id].Select(m => m.Id));
            Assert.Equal(new[] { users[5].Id, users[0].Id, users[3].Id }.Order(StringComparer.Ordinal).Take(limit), batched[three.Id].Select(m => m.Id));
            Assert.Equal([users[4].Id], batched[one.Id].Select(m => m.Id));
        }

        // No members at all, but still an entry for every group.
        var none = await Store.GetMembersOfGroupsAsync(Tenant, ids, 0);
        Assert.Equal(ids.Order(StringComparer.Ordinal), none.Keys.Order(StringComparer.Ordinal));
        Assert.All(none.Values, members => Assert.Empty(members));
    }

    [Fact]
    public async Task Members_of_no_groups_is_an_empty_answer()
    {
        Assert.Empty(await Store.GetMembersOfGroupsAsync(Tenant, [], 10));
    }
}
