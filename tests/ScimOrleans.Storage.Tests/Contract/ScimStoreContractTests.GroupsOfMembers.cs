using ScimOrleans.Protocol.Filtering;

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

    [Fact]
    public async Task A_query_with_groups_answers_each_rows_groups_as_the_groups_query_does()
    {
        var users = new List<ResourceRow>();
        for (var i = 0; i < 7; i++)
        {
            users.Add(await CreateUserAsync($"member{i}"));
        }

        var inner = await CreateGroupAsync("Inner", members: [users[0].Id, users[1].Id]);
        var outer = await CreateGroupAsync("Outer", members: [inner.Id, users[2].Id]);
        await CreateGroupAsync("Side", members: [users[1].Id, users[5].Id]);
        var expected = await Store.GetGroupsOfMembersAsync(Tenant, users.Select(u => u.Id).ToList());

        async Task<List<ResourceRow>> Walk(Func<KeysetPosition?, int, ResourceQuery> query)
        {
            var seen = new List<ResourceRow>();
            KeysetPosition? after = null;
            for (var start = 1; ; start += 3)
            {
                var page = await Store.QueryAsync(query(after, start));
                Assert.NotNull(page.Groups);
                Assert.Equal(page.Rows.Select(r => r.Id).Order(StringComparer.Ordinal), page.Groups!.Keys.Order(StringComparer.Ordinal));
                foreach (var row in page.Rows)
                {
                    Assert.Equal(expected[row.Id], page.Groups[row.Id]);
                }

                seen.AddRange(page.Rows);
                if (page.Rows.Count < 3)
                {
                    return seen;
                }

                after = KeysetPosition.After(page.Rows[^1], null, null);
            }
        }

        // By index and by keyset, with and without a filter: every page carries exactly its own rows' groups.
        Assert.Equal(7, (await Walk((_, start) => new ResourceQuery(Tenant, ResourceKind.User, null, null, start, 3, WithGroups: true))).Count);
        Assert.Equal(7, (await Walk((after, _) => new ResourceQuery(Tenant, ResourceKind.User, null, null, 1, 3, After: after, WithGroups: true))).Count);
        var filtered = await Store.QueryAsync(new ResourceQuery(
            Tenant, ResourceKind.User, FilterParser.Parse("userName eq \"member1\""), null, 1, 10, WithGroups: true));
        Assert.Equal([users[1].Id], filtered.Rows.Select(r => r.Id));
        Assert.Equal(3, filtered.Groups![users[1].Id].Count);
        Assert.Equal(
            new[] { inner.Id, outer.Id }.Order(StringComparer.Ordinal),
            (await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, FilterParser.Parse("userName eq \"member0\""), null, 1, 10, WithGroups: true)))
                .Groups![users[0].Id].Select(g => g.GroupId).Order(StringComparer.Ordinal));

        // Nothing asked, nothing read; an empty page or a page of groups has no users' groups to show.
        Assert.Null((await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, null, null, 1, 3))).Groups);
        Assert.Empty((await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, null, null, 50, 3, WithGroups: true))).Groups!);
        Assert.Empty((await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, null, null, 1, 0, WithGroups: true))).Groups!);
        Assert.Null((await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.Group, null, null, 1, 3, WithGroups: true))).Groups);
    }

    [Fact]
    public async Task A_user_read_with_its_groups_matches_reading_each_alone()
    {
        var alice = await CreateUserAsync("alice");
        var loner = await CreateUserAsync("loner");
        var team = await CreateGroupAsync("Team", members: [alice.Id]);
        var parent = await CreateGroupAsync("Parent", members: [team.Id]);

        var (user, groups) = await Store.GetUserWithGroupsAsync(Tenant, alice.Id);

        Assert.Equal(await Store.GetAsync(Tenant, ResourceKind.User, alice.Id), user);
        Assert.Equal(await Store.GetGroupsOfMemberAsync(Tenant, alice.Id), groups);
        Assert.Equal(new[] { (team.Id, true), (parent.Id, false) }.Order(), groups.Select(g => (g.GroupId, g.Direct)).Order());
        var (lonerRow, lonerGroups) = await Store.GetUserWithGroupsAsync(Tenant, loner.Id);
        Assert.Equal(loner, lonerRow);
        Assert.Empty(lonerGroups);
        var (missing, none) = await Store.GetUserWithGroupsAsync(Tenant, "nobody");
        Assert.Null(missing);
        Assert.Empty(none);

        // A group's id is not a user's.
        var (notAUser, _) = await Store.GetUserWithGroupsAsync(Tenant, team.Id);
        Assert.Null(notAUser);
    }
}
