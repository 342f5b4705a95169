using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;
using static ScimOrleans.Storage.Tests.Contract.StoreTestData;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// The behaviour every <see cref="IScimStore"/> must have. Each engine derives from this class and supplies a fresh,
/// migrated store per test; every test also works in a tenant of its own.
/// </summary>
public abstract partial class ScimStoreContractTests : IAsyncLifetime
{
    private DateTimeOffset _clock = new(2024, 5, 1, 8, 0, 0, TimeSpan.Zero);

    protected IScimStore Store { get; private set; } = null!;

    protected string Tenant { get; } = "tenant-" + Guid.NewGuid().ToString("N");

    /// <summary>A fresh store whose schema is migrated.</summary>
    protected abstract Task<IScimStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    // ---------------------------------------------------------------- resources

    [Fact]
    public async Task Create_then_get_round_trips_every_column()
    {
        var created = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_560);
        var json = UserJson("u1", "BJensen", displayName: "Babs", externalId: "ext-1", active: true, emails: [("work", "BJ@Example.com")]);
        var row = new ResourceRow(Tenant, ResourceKind.User, "u1", 1, json, created, created,
            new IndexedAttributes("BJensen", "ext-1", "Babs", true, "BJ@Example.com"));

        var result = await Store.CommitAsync(new ResourceCommit(Tenant, ResourceKind.User, "u1", CommitAction.Create, 0, row, true, null, false,
            [new EventDraft("user.created", ResourceKind.User, "u1", json)]));

        Assert.True(result.Changed);
        Assert.Equal(1, result.Version);
        Assert.Equal(created, result.LastModified);
        Assert.Empty(result.TouchedGroups);
        var stored = await Store.GetAsync(Tenant, ResourceKind.User, "u1");
        Assert.Equal(row, stored);
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.Group, "u1"));
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.User, "nope"));
    }

    [Fact]
    public async Task Stored_times_have_microsecond_resolution_and_the_commit_result_reports_them()
    {
        var precise = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var row = UserRow("u1", "alice", 1, precise, precise);

        var result = await Store.CommitAsync(Create(row));

        var stored = await Store.GetAsync(Tenant, ResourceKind.User, "u1");
        Assert.Equal(StoreTime.Truncate(precise), stored!.LastModified);
        Assert.Equal(StoreTime.Truncate(precise), stored.Created);
        Assert.Equal(TimeSpan.Zero, stored.Created.Offset);
        Assert.Equal(stored.LastModified, result.LastModified);
    }

    [Fact]
    public async Task Update_writes_the_new_row_and_keeps_created()
    {
        var user = await CreateUserAsync("alice");
        var modified = Tick();
        var updated = UserRow(user.Id, "alice", 2, modified, modified, displayName: "Alice A") with { Created = modified };

        var result = await Store.CommitAsync(Update(updated, 1, [new EventDraft("user.updated", ResourceKind.User, user.Id, updated.Json)]));

        Assert.True(result.Changed);
        Assert.Equal(2, result.Version);
        Assert.Equal(modified, result.LastModified);
        var stored = await Store.GetAsync(Tenant, ResourceKind.User, user.Id);
        Assert.Equal(2, stored!.Version);
        Assert.Equal("Alice A", stored.Indexed.DisplayName);
        Assert.Equal(updated.Json, stored.Json);
        Assert.Equal(user.Created, stored.Created);
        Assert.Equal(["user.created", "user.updated"], (await EventsAsync()).Select(e => e.Type));
    }

    [Fact]
    public async Task Update_with_a_stale_version_throws_and_writes_nothing()
    {
        var user = await CreateUserAsync("alice");
        var group = await CreateGroupAsync("team");
        await UpdateGroupAsync(group, add: [user.Id]);
        var before = await EventsAsync();

        var stale = UserRow(user.Id, "alice2", 6, Tick(), user.Created);
        await Assert.ThrowsAsync<StoreConcurrencyException>(() =>
            Store.CommitAsync(Update(stale, 5, [new EventDraft("user.updated", ResourceKind.User, user.Id, null)]) with { RemoveFromAllGroups = true }));

        var stored = await Store.GetAsync(Tenant, ResourceKind.User, user.Id);
        Assert.Equal(user, stored);
        Assert.Equal(1, await Store.CountMembersAsync(Tenant, group.Id));
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task Update_of_a_stale_group_with_member_edits_writes_no_edge()
    {
        var user = await CreateUserAsync("alice");
        var group = await CreateGroupAsync("team");
        var row = GroupRow(group.Id, "team", 3, Tick(), group.Created);

        await Assert.ThrowsAsync<StoreConcurrencyException>(() =>
            Store.CommitAsync(Update(row, 2, []) with { Membership = new MembershipEdit(false, [user.Id], []) }));

        Assert.Equal(0, await Store.CountMembersAsync(Tenant, group.Id));
    }

    [Fact]
    public async Task Update_or_delete_of_a_missing_row_is_not_found()
    {
        var update = await Assert.ThrowsAsync<ScimException>(() =>
            Store.CommitAsync(Update(UserRow("ghost", "ghost", 2, Tick(), Tick()), 1, [])));
        Assert.Equal(404, update.Status);

        var delete = await Assert.ThrowsAsync<ScimException>(() => Store.CommitAsync(Delete(ResourceKind.User, "ghost", 1, [])));
        Assert.Equal(404, delete.Status);
    }

    [Fact]
    public async Task Update_that_changes_nothing_reports_unchanged_and_appends_nothing()
    {
        var user = await CreateUserAsync("alice");
        var before = await EventsAsync();

        var result = await Store.CommitAsync(Update(UserRow(user.Id, "alice", 2, Tick(), user.Created), 1,
            [new EventDraft("user.updated", ResourceKind.User, user.Id, null)]) with { RowChanged = false });

        Assert.False(result.Changed);
        Assert.Equal(1, result.Version);
        Assert.Equal(user.LastModified, result.LastModified);
        Assert.Equal(user, await Store.GetAsync(Tenant, ResourceKind.User, user.Id));
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task Create_of_an_existing_id_is_a_concurrency_failure()
    {
        var user = await CreateUserAsync("alice");

        await Assert.ThrowsAsync<StoreConcurrencyException>(() =>
            Store.CommitAsync(Create(UserRow(user.Id, "someone-else", 1, Tick(), Tick()))));

        Assert.Equal("alice", (await Store.GetAsync(Tenant, ResourceKind.User, user.Id))!.Indexed.UserName);
    }

    [Fact]
    public async Task Delete_removes_the_row_frees_the_userName_and_appends_the_events()
    {
        var user = await CreateUserAsync("alice");

        var result = await Store.CommitAsync(Delete(ResourceKind.User, user.Id, 1, [new EventDraft("user.deleted", ResourceKind.User, user.Id, null)]));

        Assert.True(result.Changed);
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.User, user.Id));
        Assert.Equal(["user.created", "user.deleted"], (await EventsAsync()).Select(e => e.Type));
        await CreateUserAsync("ALICE");
    }

    [Fact]
    public async Task Delete_with_a_stale_version_throws_and_keeps_the_row()
    {
        var user = await CreateUserAsync("alice");

        await Assert.ThrowsAsync<StoreConcurrencyException>(() => Store.CommitAsync(Delete(ResourceKind.User, user.Id, 7, [])));

        Assert.NotNull(await Store.GetAsync(Tenant, ResourceKind.User, user.Id));
    }

    [Fact]
    public async Task Password_hash_is_written_kept_replaced_and_cleared()
    {
        var created = Tick();
        await Store.CommitAsync(Create(UserRow("u1", "alice", 1, created, created)) with { PasswordHash = "hash-1" });
        Assert.Equal("hash-1", await Store.GetPasswordHashAsync(Tenant, "u1"));

        var keep = await Store.CommitAsync(Update(UserRow("u1", "alice", 2, Tick(), created, displayName: "A"), 1, []));
        Assert.True(keep.Changed);
        Assert.Equal("hash-1", await Store.GetPasswordHashAsync(Tenant, "u1"));

        // A password change alone is a change: the row is rewritten, but no resource event is appended.
        var replace = await Store.CommitAsync(Update(UserRow("u1", "alice", 3, Tick(), created, displayName: "A"), 2, []) with
        {
            RowChanged = false,
            PasswordHash = "hash-2",
        });
        Assert.True(replace.Changed);
        Assert.Equal(3, replace.Version);
        Assert.Equal("hash-2", await Store.GetPasswordHashAsync(Tenant, "u1"));

        await Store.CommitAsync(Update(UserRow("u1", "alice", 4, Tick(), created, displayName: "A"), 3, []) with { RowChanged = false, ClearPassword = true });
        Assert.Null(await Store.GetPasswordHashAsync(Tenant, "u1"));
        Assert.Null(await Store.GetPasswordHashAsync(Tenant, "nobody"));
    }

    // ---------------------------------------------------------------- uniqueness

    [Fact]
    public async Task UserName_is_unique_per_tenant_case_insensitively_on_create()
    {
        await CreateUserAsync("bjensen");

        var error = await Assert.ThrowsAsync<ScimException>(() => CreateUserAsync("BJensen"));

        Assert.Equal(409, error.Status);
        Assert.Equal(ScimTypes.Uniqueness, error.ScimType);
        Assert.Contains("BJensen", error.Detail, StringComparison.Ordinal);
        Assert.Equal(1, (await Query(ResourceKind.User, null)).TotalResults);
        Assert.Single(await EventsAsync());
    }

    [Fact]
    public async Task Concurrent_creates_of_one_userName_let_exactly_one_win()
    {
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            // Not Tick(): the clock is not shared safely between threads, and the times are not asserted.
            var at = DateTimeOffset.UtcNow;
            await Store.CommitAsync(Create(UserRow("u" + i, i % 2 == 0 ? "racer" : "RACER", 1, at, at)));
        })).ToList();

        var outcomes = await Task.WhenAll(attempts.Select(async t =>
        {
            try
            {
                await t;
                return (Exception?)null;
            }
            catch (Exception error)
            {
                return error;
            }
        }));

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(409, Assert.IsType<ScimException>(o).Status));
        Assert.Equal(1, (await Query(ResourceKind.User, null)).TotalResults);
        Assert.Single(await Store.ReadEventsAsync(Tenant, 0, 100));
    }

    [Fact]
    public async Task UserName_uniqueness_folds_non_ascii_letters()
    {
        await CreateUserAsync("ÉLODIE.ÄRGER@example.com");

        var error = await Assert.ThrowsAsync<ScimException>(() => CreateUserAsync("élodie.ärger@EXAMPLE.com"));

        Assert.Equal(409, error.Status);
    }

    [Fact]
    public async Task UserName_uniqueness_holds_on_rename()
    {
        await CreateUserAsync("bjensen");
        var other = await CreateUserAsync("jsmith");

        var error = await Assert.ThrowsAsync<ScimException>(() =>
            Store.CommitAsync(Update(UserRow(other.Id, "BJENSEN", 2, Tick(), other.Created), 1, [])));

        Assert.Equal(409, error.Status);
        Assert.Equal("jsmith", (await Store.GetAsync(Tenant, ResourceKind.User, other.Id))!.Indexed.UserName);

        // Changing only the case of one's own userName is fine.
        await Store.CommitAsync(Update(UserRow(other.Id, "JSmith", 2, Tick(), other.Created), 1, []));
    }

    [Fact]
    public async Task Group_displayName_is_unique_per_tenant_but_users_may_share_displayNames()
    {
        await CreateGroupAsync("Engineering");
        var error = await Assert.ThrowsAsync<ScimException>(() => CreateGroupAsync("ENGINEERING"));
        Assert.Equal(409, error.Status);
        Assert.Equal(ScimTypes.Uniqueness, error.ScimType);
        Assert.Contains("displayName", error.Detail, StringComparison.Ordinal);

        await CreateUserAsync("a", displayName: "Same Name");
        await CreateUserAsync("b", displayName: "same name");
        await CreateUserAsync("c", displayName: "Engineering");
    }

    // ---------------------------------------------------------------- tenants

    [Fact]
    public async Task Tenants_are_created_once_listed_and_fetched()
    {
        var created = Tick();
        Assert.True(await Store.CreateTenantAsync(Tenant, created));
        Assert.False(await Store.CreateTenantAsync(Tenant, Tick()));

        Assert.Equal(new TenantRecord(Tenant, created), await Store.GetTenantAsync(Tenant));
        Assert.Contains(new TenantRecord(Tenant, created), await Store.ListTenantsAsync());
        Assert.Null(await Store.GetTenantAsync(Tenant + "-other"));
    }

    [Fact]
    public async Task Tenants_are_isolated()
    {
        var other = Tenant + "-b";
        var mine = await CreateUserAsync("bjensen", externalId: "x1");
        var theirs = await CreateUserAsync("bjensen", externalId: "x1", tenant: other);

        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.User, theirs.Id));
        var page = await Query(ResourceKind.User, Eq("userName", "bjensen"));
        Assert.Equal([mine.Id], page.Rows.Select(r => r.Id));
        Assert.All(page.Rows, r => Assert.Equal(Tenant, r.TenantId));
        Assert.Equal(1, (await Query(ResourceKind.User, Eq("externalId", "x1"))).TotalResults);
        Assert.Single(await EventsAsync());
        Assert.Single(await EventsAsync(other));
    }

    [Fact]
    public async Task Deleting_a_tenant_removes_everything_it_owns_and_nothing_else()
    {
        var other = Tenant + "-b";
        await Store.CreateTenantAsync(Tenant, Tick());
        await Store.CreateTenantAsync(other, Tick());
        var user = await CreateUserAsync("alice");
        var group = await CreateGroupAsync("team", members: [user.Id]);
        var otherUser = await CreateUserAsync("alice", tenant: other);
        var otherGroup = await CreateGroupAsync("team", members: [otherUser.Id], tenant: other);

        Assert.True(await Store.DeleteTenantAsync(Tenant));
        Assert.False(await Store.DeleteTenantAsync(Tenant));

        Assert.Null(await Store.GetTenantAsync(Tenant));
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.User, user.Id));
        Assert.Equal(0, await Store.CountMembersAsync(Tenant, group.Id));
        Assert.Empty(await EventsAsync());
        Assert.Equal(0, (await Query(ResourceKind.User, null)).TotalResults);

        Assert.NotNull(await Store.GetTenantAsync(other));
        Assert.NotNull(await Store.GetAsync(other, ResourceKind.User, otherUser.Id));
        Assert.Equal(1, await Store.CountMembersAsync(other, otherGroup.Id));
        Assert.Equal(3, (await EventsAsync(other)).Count);
    }

    // ---------------------------------------------------------------- membership

    [Fact]
    public async Task Adding_members_writes_edges_events_and_bumps_the_group()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob", displayName: "Bobby");
        var nested = await CreateGroupAsync("nested");
        var group = await CreateGroupAsync("team");
        var before = (await EventsAsync()).Count;

        var result = await UpdateGroupAsync(group, add: [alice.Id, bob.Id, nested.Id], rowChanged: false);

        Assert.True(result.Changed);
        Assert.Equal(2, result.Version);
        Assert.Equal(2, (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Version);
        Assert.Equal(3, await Store.CountMembersAsync(Tenant, group.Id));

        var events = (await EventsAsync()).Skip(before).ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(ResourceKind.Group, e.ResourceKind));
        Assert.All(events, e => Assert.Equal(group.Id, e.ResourceId));
        Assert.Equal(2, events.Count(e => e.Type == "group.user_added"));
        var groupAdded = Assert.Single(events, e => e.Type == "group.group_added");
        var data = JsonNode.Parse(groupAdded.DataJson!)!.AsObject();
        Assert.Equal(group.Id, (string?)data["groupId"]);
        Assert.Equal(nested.Id, (string?)data["memberId"]);
        Assert.Equal("Group", (string?)data["memberType"]);
        var userAdded = JsonNode.Parse(events.First(e => e.Type == "group.user_added").DataJson!)!.AsObject();
        Assert.Equal("User", (string?)userAdded["memberType"]);
    }

    [Fact]
    public async Task Re_adding_an_existing_member_changes_nothing()
    {
        var alice = await CreateUserAsync("alice");
        var group = await CreateGroupAsync("team", members: [alice.Id]);
        var before = await EventsAsync();

        var result = await UpdateGroupAsync(group, add: [alice.Id], rowChanged: false);

        Assert.False(result.Changed);
        Assert.Equal(1, result.Version);
        Assert.Equal(group.LastModified, result.LastModified);
        Assert.Equal(1, (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Version);
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task Removing_members_writes_events_and_removing_a_non_member_is_a_no_op()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var group = await CreateGroupAsync("team", members: [alice.Id, bob.Id]);

        var result = await UpdateGroupAsync(group, remove: [alice.Id], rowChanged: false);

        Assert.True(result.Changed);
        Assert.Equal([bob.Id], (await Store.GetMembersAsync(Tenant, group.Id, 10)).Select(m => m.Id));
        var removed = (await EventsAsync())[^1];
        Assert.Equal("group.user_removed", removed.Type);
        Assert.Equal(alice.Id, (string?)JsonNode.Parse(removed.DataJson!)!["memberId"]);

        var current = (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!;
        var noop = await UpdateGroupAsync(current, remove: [alice.Id, "never-a-member"], rowChanged: false);
        Assert.False(noop.Changed);
    }

    [Fact]
    public async Task Clearing_members_replaces_them_and_reports_only_the_net_changes()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var carol = await CreateUserAsync("carol");
        var group = await CreateGroupAsync("team", members: [alice.Id, bob.Id]);
        var before = (await EventsAsync()).Count;

        var result = await UpdateGroupAsync(group, add: [bob.Id, carol.Id], clear: true, rowChanged: false);

        Assert.True(result.Changed);
        Assert.Equal(new[] { bob.Id, carol.Id }.Order(), (await Store.GetMembersAsync(Tenant, group.Id, 10)).Select(m => m.Id).Order());
        var events = (await EventsAsync()).Skip(before).ToList();
        Assert.Equal(2, events.Count);
        Assert.Contains(events, e => e.Type == "group.user_removed" && e.DataJson!.Contains(alice.Id, StringComparison.Ordinal));
        Assert.Contains(events, e => e.Type == "group.user_added" && e.DataJson!.Contains(carol.Id, StringComparison.Ordinal));

        // Clearing and re-adding the same set is no change at all.
        var current = (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!;
        var same = await UpdateGroupAsync(current, add: [carol.Id, bob.Id], clear: true, rowChanged: false);
        Assert.False(same.Changed);
    }

    [Fact]
    public async Task Adding_a_missing_member_fails_with_invalidValue_and_writes_nothing()
    {
        var alice = await CreateUserAsync("alice");
        var group = await CreateGroupAsync("team");
        var before = await EventsAsync();
        var renamed = GroupRow(group.Id, "renamed", 2, Tick(), group.Created);

        var error = await Assert.ThrowsAsync<ScimException>(() => Store.CommitAsync(
            Update(renamed, 1, [new EventDraft("group.updated", ResourceKind.Group, group.Id, null)]) with
            {
                Membership = new MembershipEdit(false, [alice.Id, "ghost-1", "ghost-2"], []),
            }));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimTypes.InvalidValue, error.ScimType);
        Assert.Contains("ghost-1", error.Detail, StringComparison.Ordinal);
        Assert.Contains("ghost-2", error.Detail, StringComparison.Ordinal);
        Assert.Equal(group, await Store.GetAsync(Tenant, ResourceKind.Group, group.Id));
        Assert.Equal(0, await Store.CountMembersAsync(Tenant, group.Id));
        Assert.Equal(before, await EventsAsync());
    }

    [Fact]
    public async Task A_member_of_another_tenant_does_not_exist()
    {
        var foreign = await CreateUserAsync("alice", tenant: Tenant + "-b");
        var group = await CreateGroupAsync("team");

        var error = await Assert.ThrowsAsync<ScimException>(() => UpdateGroupAsync(group, add: [foreign.Id]));

        Assert.Equal(ScimTypes.InvalidValue, error.ScimType);
    }

    [Fact]
    public async Task A_group_cannot_be_its_own_member()
    {
        var group = await CreateGroupAsync("team");

        var error = await Assert.ThrowsAsync<ScimException>(() => UpdateGroupAsync(group, add: [group.Id]));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task Creating_a_group_with_members_writes_edges_and_events_in_the_same_commit()
    {
        var alice = await CreateUserAsync("alice");

        var group = await CreateGroupAsync("team", members: [alice.Id]);

        Assert.Equal(1, group.Version);
        Assert.Equal(1, await Store.CountMembersAsync(Tenant, group.Id));
        Assert.Equal(["user.created", "group.created", "group.user_added"], (await EventsAsync()).Select(e => e.Type));
    }

    [Fact]
    public async Task Remove_from_all_groups_drops_edges_bumps_groups_and_appends_events()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var g1 = await CreateGroupAsync("g1", members: [alice.Id, bob.Id]);
        var g2 = await CreateGroupAsync("g2", members: [alice.Id]);
        var g3 = await CreateGroupAsync("g3", members: [bob.Id]);
        var before = (await EventsAsync()).Count;
        var deactivated = UserRow(alice.Id, "alice", 2, Tick(), alice.Created, active: false);

        var result = await Store.CommitAsync(Update(deactivated, 1, [new EventDraft("user.updated", ResourceKind.User, alice.Id, null)]) with
        {
            RemoveFromAllGroups = true,
        });

        Assert.True(result.Changed);
        Assert.Equal(new[] { g1.Id, g2.Id }.Order(), result.TouchedGroups.Order());
        Assert.Empty(await Store.GetGroupsOfMemberAsync(Tenant, alice.Id));
        Assert.Equal([bob.Id], (await Store.GetMembersAsync(Tenant, g1.Id, 10)).Select(m => m.Id));
        var g1Now = (await Store.GetAsync(Tenant, ResourceKind.Group, g1.Id))!;
        Assert.Equal(2, g1Now.Version);
        Assert.Equal(deactivated.LastModified, g1Now.LastModified);
        Assert.Equal(2, (await Store.GetAsync(Tenant, ResourceKind.Group, g2.Id))!.Version);
        Assert.Equal(1, (await Store.GetAsync(Tenant, ResourceKind.Group, g3.Id))!.Version);

        Assert.Equal([alice.Id], result.ChangedMembers);

        // The commit's own events, then one per dropped edge by group id, each naming group, member and member type.
        var events = (await EventsAsync()).Skip(before).ToList();
        var groupsInOrder = new[] { g1.Id, g2.Id }.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["user.updated", "group.user_removed", "group.user_removed"], events.Select(e => e.Type));
        Assert.Equal([alice.Id, .. groupsInOrder], events.Select(e => e.ResourceId));
        Assert.Equal(
            groupsInOrder.Select(g => $$"""{"groupId":"{{g}}","memberId":"{{alice.Id}}","memberType":"User"}"""),
            events.Skip(1).Select(e => e.DataJson));
        Assert.All(events, e => Assert.Equal(deactivated.LastModified, e.OccurredAt));

        // Nothing left to remove and nothing else changed: a no-op.
        var again = await Store.CommitAsync(Update(UserRow(alice.Id, "alice", 3, Tick(), alice.Created, active: false), 2, []) with
        {
            RowChanged = false,
            RemoveFromAllGroups = true,
        });
        Assert.False(again.Changed);
    }

    [Fact]
    public async Task A_group_write_at_its_version_before_another_commit_bumped_it_is_stale()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var carol = await CreateUserAsync("carol");
        var group = await CreateGroupAsync("team", members: [alice.Id, bob.Id]);

        // Bumped by a deletion while the writer still holds version 1 (nothing reads the group in between).
        await Store.CommitAsync(Delete(ResourceKind.User, bob.Id, 1, []));

        await Assert.ThrowsAsync<StoreConcurrencyException>(() => UpdateGroupAsync(group, add: [carol.Id]));
        await Assert.ThrowsAsync<StoreConcurrencyException>(() => UpdateGroupAsync(group, remove: [alice.Id]));
        await Assert.ThrowsAsync<StoreConcurrencyException>(() => Store.CommitAsync(Update(GroupRow(group.Id, "renamed", 2, Tick(), group.Created), 1, [])));
        Assert.Equal([alice.Id], (await Store.GetMembersAsync(Tenant, group.Id, 10)).Select(m => m.Id));
        Assert.Equal(("team", 2L), ((await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Indexed.DisplayName, (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Version));
    }

    [Fact]
    public async Task A_group_bumped_by_other_commits_reads_writes_and_deletes_at_its_bumped_version()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var carol = await CreateUserAsync("carol");
        var group = await CreateGroupAsync("team", members: [alice.Id, bob.Id, carol.Id]);
        var other = await CreateGroupAsync("other");

        // Two other commits change its members: a deactivation and a deletion.
        var deactivatedAt = Tick();
        await Store.CommitAsync(Update(UserRow(alice.Id, "alice", 2, deactivatedAt, alice.Created, active: false), 1, []) with { RemoveFromAllGroups = true });
        var deletedAt = Tick();
        await Store.CommitAsync(Delete(ResourceKind.User, bob.Id, 1, []) with { Row = UserRow(bob.Id, "bob", 2, deletedAt, bob.Created) });
        var bumpedAt = StoreTime.Truncate(deletedAt);

        // Read by id, in a list page and by a filter on meta.lastModified: version 1 + 2 bumps, lastModified the last bump.
        var read = (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!;
        Assert.Equal((3, bumpedAt), (read.Version, read.LastModified));
        var listed = (await Query(ResourceKind.Group, null)).Rows.Single(r => r.Id == group.Id);
        Assert.Equal((3, bumpedAt), (listed.Version, listed.LastModified));
        var schema = ScimSchemas.GroupResource;
        var since = FilterBinder.Bind(FilterParser.Parse($"meta.lastModified ge \"{bumpedAt:O}\""), schema);
        Assert.Equal([group.Id], (await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.Group, since, null, 1, 100, schema))).Rows.Select(r => r.Id));
        var newest = new SortSpec(new AttributePath(null, "meta", "lastModified"), Descending: true);
        Assert.Equal([group.Id, other.Id], (await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.Group, null, newest, 1, 100, schema))).Rows.Select(r => r.Id));

        // Its own writes expect the bumped version: the version it was created at is stale.
        await Assert.ThrowsAsync<StoreConcurrencyException>(() => UpdateGroupAsync(group, add: [alice.Id]));
        var renamedAt = Tick();
        var renamed = await Store.CommitAsync(Update(GroupRow(group.Id, "team 2", 4, renamedAt, group.Created), 3, []));
        Assert.Equal(4, renamed.Version);
        Assert.Equal(4, (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Version);
        var edited = await UpdateGroupAsync(read with { Version = 4, LastModified = renamedAt }, add: [alice.Id]);
        Assert.Equal(5, edited.Version);
        Assert.Equal(5, (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Version);

        // Bumped again, then deleted: not at the stale version, at the current one.
        await Store.CommitAsync(Delete(ResourceKind.User, carol.Id, 1, []));
        Assert.Equal(6, (await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!.Version);
        await Assert.ThrowsAsync<StoreConcurrencyException>(() => Store.CommitAsync(Update(GroupRow(group.Id, "team 3", 6, Tick(), group.Created), 5, [])));
        await Assert.ThrowsAsync<StoreConcurrencyException>(() => Store.CommitAsync(Delete(ResourceKind.Group, group.Id, 5, [])));
        await Store.CommitAsync(Delete(ResourceKind.Group, group.Id, 6, []));
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.Group, group.Id));
    }

    [Fact]
    public async Task Deleting_a_user_removes_its_edges_with_events_and_bumps_its_groups()
    {
        var alice = await CreateUserAsync("alice");
        var g1 = await CreateGroupAsync("g1", members: [alice.Id]);
        var g2 = await CreateGroupAsync("g2", members: [alice.Id]);
        var before = (await EventsAsync()).Count;

        var result = await Store.CommitAsync(Delete(ResourceKind.User, alice.Id, 1, [new EventDraft("user.deleted", ResourceKind.User, alice.Id, null)]));

        Assert.Equal(new[] { g1.Id, g2.Id }.Order(), result.TouchedGroups.Order());
        Assert.Equal(0, await Store.CountMembersAsync(Tenant, g1.Id));
        Assert.Equal(2, (await Store.GetAsync(Tenant, ResourceKind.Group, g2.Id))!.Version);
        var events = (await EventsAsync()).Skip(before).ToList();
        Assert.Equal(["user.deleted", "group.user_removed", "group.user_removed"], events.Select(e => e.Type));
    }

    [Fact]
    public async Task Deleting_a_group_removes_its_own_edges_silently_and_its_parent_edges_with_events()
    {
        var alice = await CreateUserAsync("alice");
        var child = await CreateGroupAsync("child", members: [alice.Id]);
        var parent = await CreateGroupAsync("parent", members: [child.Id, alice.Id]);
        var before = (await EventsAsync()).Count;

        var result = await Store.CommitAsync(Delete(ResourceKind.Group, child.Id, 1, [new EventDraft("group.deleted", ResourceKind.Group, child.Id, null)]));

        Assert.Equal([parent.Id], result.TouchedGroups);
        Assert.Equal(0, await Store.CountMembersAsync(Tenant, child.Id));
        Assert.Equal([alice.Id], (await Store.GetMembersAsync(Tenant, parent.Id, 10)).Select(m => m.Id));
        Assert.Equal([parent.Id], (await Store.GetGroupsOfMemberAsync(Tenant, alice.Id)).Select(g => g.GroupId));
        Assert.NotNull(await Store.GetAsync(Tenant, ResourceKind.User, alice.Id));
        var events = (await EventsAsync()).Skip(before).ToList();
        Assert.Equal(["group.deleted", "group.group_removed"], events.Select(e => e.Type));
        Assert.Equal(parent.Id, events[1].ResourceId);
    }

    [Fact]
    public async Task Members_are_listed_in_a_stable_order_with_display_values_and_a_limit()
    {
        var named = await CreateUserAsync("named", displayName: "Named Person");
        var plain = await CreateUserAsync("plain.user");
        var group = await CreateGroupAsync("child");
        var team = await CreateGroupAsync("team", members: [plain.Id, group.Id, named.Id]);

        var members = await Store.GetMembersAsync(Tenant, team.Id, 10);

        Assert.Equal(3, members.Count);
        Assert.Equal(members.Select(m => m.Id).Order(StringComparer.Ordinal), members.Select(m => m.Id));
        Assert.Contains(new MemberEntry(named.Id, ResourceKind.User, "Named Person"), members);
        Assert.Contains(new MemberEntry(plain.Id, ResourceKind.User, "plain.user"), members);
        Assert.Contains(new MemberEntry(group.Id, ResourceKind.Group, "child"), members);
        Assert.Equal(members.Take(2), await Store.GetMembersAsync(Tenant, team.Id, 2));
        Assert.Empty(await Store.GetMembersAsync(Tenant, team.Id, 0));
        Assert.Equal(3, await Store.CountMembersAsync(Tenant, team.Id));
        Assert.Equal(0, await Store.CountMembersAsync(Tenant, "no-such-group"));
    }

    [Fact]
    public async Task Groups_of_a_member_include_nested_groups_and_survive_cycles()
    {
        var alice = await CreateUserAsync("alice");
        var a = await CreateGroupAsync("A", members: [alice.Id]);
        var b = await CreateGroupAsync("B", members: [a.Id]);
        var c = await CreateGroupAsync("C", members: [b.Id, alice.Id]);
        var d = await CreateGroupAsync("D");

        var groups = await Store.GetGroupsOfMemberAsync(Tenant, alice.Id);
        Assert.Equal(3, groups.Count);
        Assert.Contains(new GroupMembershipEntry(a.Id, "A", true), groups);
        Assert.Contains(new GroupMembershipEntry(b.Id, "B", false), groups);
        Assert.Contains(new GroupMembershipEntry(c.Id, "C", true), groups);

        // Close a cycle A -> B -> C -> A, and hang D under C.
        await UpdateGroupAsync(a, add: [c.Id], rowChanged: false);
        await UpdateGroupAsync(d, add: [c.Id], rowChanged: false);

        var cyclic = await Store.GetGroupsOfMemberAsync(Tenant, alice.Id);
        Assert.Equal(4, cyclic.Count);
        Assert.Contains(new GroupMembershipEntry(d.Id, "D", false), cyclic);
        Assert.Contains(new GroupMembershipEntry(a.Id, "A", true), cyclic);

        var ofA = await Store.GetGroupsOfMemberAsync(Tenant, a.Id);
        Assert.DoesNotContain(ofA, g => g.GroupId == a.Id);
        Assert.Equal(new[] { b.Id, c.Id, d.Id }.Order(), ofA.Select(g => g.GroupId).Order());
        Assert.Contains(new GroupMembershipEntry(b.Id, "B", true), ofA);
        Assert.Empty(await Store.GetGroupsOfMemberAsync(Tenant, "nobody"));
    }

    [Fact]
    public async Task Adding_one_member_to_a_big_group_touches_only_that_member()
    {
        const int size = 5_000;
        var group = await CreateGroupAsync("big");
        var ids = new List<string>(size);
        for (var i = 0; i < size; i++)
        {
            ids.Add((await CreateUserAsync("user" + i.ToString("D5", CultureInfo.InvariantCulture))).Id);
        }

        var filled = await UpdateGroupAsync(group, add: ids, rowChanged: false);
        Assert.Equal(2, filled.Version);
        var newcomer = await CreateUserAsync("newcomer");
        var before = (await EventsAsync(limit: 100_000)).Count;

        var result = await UpdateGroupAsync((await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!, add: [newcomer.Id, ids[17]], rowChanged: false);

        Assert.True(result.Changed);
        Assert.Equal(3, result.Version);
        Assert.Equal(size + 1, await Store.CountMembersAsync(Tenant, group.Id));
        var events = (await EventsAsync(limit: 100_000)).Skip(before).ToList();
        var added = Assert.Single(events);
        Assert.Equal("group.user_added", added.Type);
        Assert.Contains(newcomer.Id, added.DataJson!, StringComparison.Ordinal);
        Assert.Equal(100, (await Store.GetMembersAsync(Tenant, group.Id, 100)).Count);
    }

    // ---------------------------------------------------------------- events

    [Fact]
    public async Task The_event_feed_is_ordered_and_pages_without_gaps_or_repeats()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        await CreateUserAsync("other", tenant: Tenant + "-b");
        var group = await CreateGroupAsync("team", members: [alice.Id, bob.Id]);
        await Store.CommitAsync(Delete(ResourceKind.User, bob.Id, 1, [new EventDraft("user.deleted", ResourceKind.User, bob.Id, null)]));
        await UpdateGroupAsync((await Store.GetAsync(Tenant, ResourceKind.Group, group.Id))!, remove: [alice.Id], rowChanged: false);

        var all = await EventsAsync();
        Assert.Equal(
            ["user.created", "user.created", "group.created", "group.user_added", "group.user_added", "user.deleted", "group.user_removed", "group.user_removed"],
            all.Select(e => e.Type));
        Assert.Equal(all.OrderBy(e => e.Sequence), all);
        Assert.Equal(all.Count, all.Select(e => e.Sequence).Distinct().Count());

        var paged = new List<StoredEvent>();
        long cursor = 0;
        while (true)
        {
            var page = await Store.ReadEventsAsync(Tenant, cursor, 3);
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 3);
            paged.AddRange(page);
            cursor = page[^1].Sequence;
        }

        Assert.Equal(all, paged);
        Assert.Empty(await Store.ReadEventsAsync(Tenant, all[^1].Sequence, 10));
        Assert.Empty(await Store.ReadEventsAsync(Tenant, 0, 0));
        Assert.Equal(all.Skip(2), await Store.ReadEventsAsync(Tenant, all[1].Sequence, 100));
    }

    // ---------------------------------------------------------------- queries

    [Fact]
    public async Task Query_by_userName_is_case_insensitive()
    {
        var bj = await CreateUserAsync("bjensen");
        await CreateUserAsync("jsmith");

        var page = await Query(ResourceKind.User, Eq("userName", "BJENSEN"));

        Assert.Equal(1, page.TotalResults);
        Assert.Equal(bj, Assert.Single(page.Rows));
    }

    [Fact]
    public async Task Query_by_id_and_externalId_is_case_exact()
    {
        var user = await CreateUserAsync("alice", externalId: "Ext-ABC");
        await CreateUserAsync("bob", externalId: "ext-abc");

        Assert.Equal([user.Id], (await Query(ResourceKind.User, Eq("externalId", "Ext-ABC"))).Rows.Select(r => r.Id));
        Assert.Equal(0, (await Query(ResourceKind.User, Eq("externalId", "EXT-ABC"))).TotalResults);
        Assert.Equal([user.Id], (await Query(ResourceKind.User, Eq("id", user.Id))).Rows.Select(r => r.Id));
        Assert.Equal(0, (await Query(ResourceKind.User, Eq("id", user.Id.ToUpperInvariant()))).TotalResults);
    }

    [Fact]
    public async Task Query_by_displayName_works_for_groups_and_users()
    {
        var group = await CreateGroupAsync("Engineering", externalId: "g-ext");
        await CreateGroupAsync("Sales");
        var user = await CreateUserAsync("alice", displayName: "Alice Émile");

        Assert.Equal([group.Id], (await Query(ResourceKind.Group, Eq("displayName", "engineering"))).Rows.Select(r => r.Id));
        Assert.Equal([group.Id], (await Query(ResourceKind.Group, Eq("externalId", "g-ext"))).Rows.Select(r => r.Id));
        Assert.Equal([user.Id], (await Query(ResourceKind.User, Eq("displayName", "ALICE ÉMILE"))).Rows.Select(r => r.Id));
        Assert.Equal(0, (await Query(ResourceKind.User, Eq("displayName", "Engineering"))).TotalResults);
    }

    [Fact]
    public async Task Query_by_active()
    {
        var on = await CreateUserAsync("on", active: true);
        var off = await CreateUserAsync("off", active: false);
        await CreateUserAsync("unknown");

        Assert.Equal([on.Id], (await Query(ResourceKind.User, Eq("active", true))).Rows.Select(r => r.Id));
        Assert.Equal([off.Id], (await Query(ResourceKind.User, Eq("active", false))).Rows.Select(r => r.Id));
        Assert.Equal(2, (await Query(ResourceKind.User, Not(Eq("active", true)))).TotalResults);
    }

    [Fact]
    public async Task Query_by_work_email_and_by_any_email()
    {
        var alice = await CreateUserAsync("alice", emails: [("work", "Alice@Example.com"), ("home", "alice@home.example")]);
        var bob = await CreateUserAsync("bob", emails: [("home", "alice@example.com")]);

        Assert.Equal([alice.Id], (await Query(ResourceKind.User, WorkEmail("alice@example.COM"))).Rows.Select(r => r.Id));
        Assert.Equal(0, (await Query(ResourceKind.User, WorkEmail("alice@home.example"))).TotalResults);
        var swapped = new ValuePathNode(Path("emails"), And(Eq("value", "alice@example.com"), Eq("type", "WORK")));
        Assert.Equal([alice.Id], (await Query(ResourceKind.User, swapped)).Rows.Select(r => r.Id));

        var any = await Query(ResourceKind.User, Eq("emails", "ALICE@example.com", sub: "value"));
        Assert.Equal([alice.Id, bob.Id], any.Rows.Select(r => r.Id));
        Assert.Equal([alice.Id], (await Query(ResourceKind.User, Eq("emails", "alice@home.example", sub: "value"))).Rows.Select(r => r.Id));

        var home = new ValuePathNode(Path("emails"), And(Eq("type", "home"), Eq("value", "alice@example.com")));
        Assert.Equal([bob.Id], (await Query(ResourceKind.User, home)).Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task Query_combines_and_or_not()
    {
        var alice = await CreateUserAsync("alice", externalId: "1", active: true);
        var bob = await CreateUserAsync("bob", externalId: "2", active: false);
        var carol = await CreateUserAsync("carol", active: true);

        Assert.Equal([alice.Id], await Ids(And(Eq("userName", "alice"), Eq("active", true))));
        Assert.Empty(await Ids(And(Eq("userName", "alice"), Eq("active", false))));
        Assert.Equal([alice.Id, bob.Id], await Ids(Or(Eq("userName", "alice"), Eq("externalId", "2"))));
        Assert.Equal([bob.Id, carol.Id], await Ids(Not(Eq("userName", "alice"))));

        // not() of a comparison on an absent attribute matches the resource (SCIM filters are two-valued).
        Assert.Equal([carol.Id], await Ids(Not(Or(Eq("externalId", "1"), Eq("externalId", "2")))));
        Assert.Equal([alice.Id, carol.Id], await Ids(Or(And(Eq("active", true), Not(Eq("userName", "zed"))), Eq("userName", "nobody"))));
    }

    [Fact]
    public async Task Query_pages_with_totals_in_a_stable_order()
    {
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add((await CreateUserAsync("user" + i.ToString(CultureInfo.InvariantCulture), active: i % 2 == 0)).Id);
        }

        var all = await Query(ResourceKind.User, null, count: 100);
        Assert.Equal(7, all.TotalResults);
        Assert.Equal(ids, all.Rows.Select(r => r.Id));

        var page2 = await Query(ResourceKind.User, null, startIndex: 3, count: 2);
        Assert.Equal(7, page2.TotalResults);
        Assert.Equal(ids.Skip(2).Take(2), page2.Rows.Select(r => r.Id));

        var last = await Query(ResourceKind.User, null, startIndex: 6, count: 10);
        Assert.Equal(ids.Skip(5), last.Rows.Select(r => r.Id));

        var countOnly = await Query(ResourceKind.User, Eq("active", true), count: 0);
        Assert.Equal(4, countOnly.TotalResults);
        Assert.Empty(countOnly.Rows);

        var beyond = await Query(ResourceKind.User, null, startIndex: 50, count: 10);
        Assert.Equal(7, beyond.TotalResults);
        Assert.Empty(beyond.Rows);

        var zeroStart = await Query(ResourceKind.User, null, startIndex: 0, count: 1);
        Assert.Equal([ids[0]], zeroStart.Rows.Select(r => r.Id));

        Assert.Equal(0, (await Query(ResourceKind.Group, null)).TotalResults);
    }

    [Fact]
    public async Task Query_sorts_by_supported_attributes_with_a_stable_tie_break()
    {
        var b = await CreateUserAsync("Bravo", externalId: "3");
        var a = await CreateUserAsync("alpha", externalId: "2");
        var c = await CreateUserAsync("charlie");

        Assert.Equal([a.Id, b.Id, c.Id], await SortedIds("userName", descending: false));
        Assert.Equal([c.Id, b.Id, a.Id], await SortedIds("userName", descending: true));
        Assert.Equal([a.Id, b.Id, c.Id], await SortedIds("externalId", descending: false));
        Assert.Equal([b.Id, a.Id, c.Id], await SortedIds("externalId", descending: true));
        Assert.Equal([b.Id, a.Id, c.Id], await SortedIds("meta", descending: false, sub: "created"));
        Assert.Equal([c.Id, a.Id, b.Id], await SortedIds("meta", descending: true, sub: "lastModified"));
        Assert.Equal([b.Id, a.Id, c.Id], await SortedIds("displayName", descending: false));

        var error = await Assert.ThrowsAsync<ScimException>(() => SortedIds("name", descending: false));
        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async Task Unsupported_filters_are_rejected_with_invalidFilter()
    {
        await CreateUserAsync("alice");

        FilterNode[] unsupported =
        [
            new ComparisonNode(Path("groups", "$ref"), ComparisonOperator.Eq, JsonValue.Create("g")),
            new ComparisonNode(Path("password"), ComparisonOperator.Eq, JsonValue.Create("secret")),
            new ComparisonNode(Path("noSuchAttribute"), ComparisonOperator.Eq, JsonValue.Create("x")),
            new ComparisonNode(Path("emails"), ComparisonOperator.Eq, JsonValue.Create("x")),
            new ComparisonNode(Path("active"), ComparisonOperator.Gt, JsonValue.Create(true)),
            new ComparisonNode(Path("userName"), ComparisonOperator.Eq, JsonValue.Create(42)),
            new ComparisonNode(Path("meta", "created"), ComparisonOperator.Gt, JsonValue.Create("not a date")),
            new ComparisonNode(Path("meta", "resourceType"), ComparisonOperator.Eq, JsonValue.Create("User")),
            new ValuePathNode(Path("emails"), new ValuePathNode(Path("value"), Eq("x", "y"))),
        ];

        foreach (var filter in unsupported)
        {
            var error = await Assert.ThrowsAsync<ScimException>(() => Query(ResourceKind.User, filter));
            Assert.Equal(ScimTypes.InvalidFilter, error.ScimType);
        }
    }

    [Fact]
    public async Task Query_supports_every_operator_on_text()
    {
        var alice = await CreateUserAsync("alice@example.com", title: "Senior Engineer");
        var bob = await CreateUserAsync("bob@corp.example", title: "Engineer");
        var pct = await CreateUserAsync("100%_sure@example.com");

        Assert.Equal([alice.Id, pct.Id], await Ids(Compare("userName", ComparisonOperator.Ew, "@EXAMPLE.com")));
        Assert.Equal([bob.Id], await Ids(Compare("userName", ComparisonOperator.Sw, "BOB@")));
        Assert.Equal([bob.Id], await Ids(Compare("userName", ComparisonOperator.Co, "corp")));
        Assert.Equal([pct.Id], await Ids(Compare("userName", ComparisonOperator.Co, "%_")));
        Assert.Empty(await Ids(Compare("userName", ComparisonOperator.Sw, "%")));
        Assert.Equal([bob.Id, pct.Id], await Ids(Compare("userName", ComparisonOperator.Ne, "alice@example.com")));
        Assert.Equal([pct.Id], await Ids(Compare("userName", ComparisonOperator.Lt, "ALICE@example.com")));
        Assert.Equal([alice.Id, bob.Id], await Ids(Compare("userName", ComparisonOperator.Ge, "alice@example.com")));
        Assert.Equal([bob.Id], await Ids(Compare("userName", ComparisonOperator.Gt, "alice@example.com")));
        Assert.Equal([alice.Id, pct.Id], await Ids(Compare("userName", ComparisonOperator.Le, "alice@example.com")));

        Assert.Equal([alice.Id, bob.Id], await Ids(Compare("title", ComparisonOperator.Ew, "engineer")));
        Assert.Equal([bob.Id], await Ids(Eq("title", "ENGINEER")));
        Assert.Equal([alice.Id, pct.Id], await Ids(Compare("title", ComparisonOperator.Ne, "engineer")));
        Assert.Equal([alice.Id, bob.Id], await Ids(new PresentNode(Path("title"))));
        Assert.Equal([pct.Id], await Ids(Not(new PresentNode(Path("title")))));
    }

    [Fact]
    public async Task Query_reads_complex_and_extension_attributes()
    {
        var alice = await CreateUserAsync("alice", givenName: "Alice", department: "R&D");
        var bob = await CreateUserAsync("bob", givenName: "Bob", department: "Sales", emails: [("work", "bob@example.com")]);

        Assert.Equal([alice.Id], await Ids(Eq("name", "alice", sub: "givenName")));
        Assert.Equal([bob.Id], await Ids(Eq("department", "sales", urn: Enterprise)));
        Assert.Equal([alice.Id], await Ids(Compare("department", ComparisonOperator.Co, "&", urn: Enterprise)));
        Assert.Equal([alice.Id, bob.Id], await Ids(new PresentNode(Path("department", urn: Enterprise))));
        Assert.Equal([bob.Id], await Ids(new PresentNode(Path("emails"))));
        Assert.Equal([bob.Id], await Ids(new PresentNode(Path("emails", "value"))));
        Assert.Equal([bob.Id], await Ids(new ValuePathNode(Path("emails"), Compare("value", ComparisonOperator.Sw, "BOB"))));
        Assert.Equal([alice.Id], await Ids(Not(new ValuePathNode(Path("emails"), Eq("type", "work")))));
        Assert.Equal([alice.Id, bob.Id], await Ids(new PresentNode(Path("schemas"))));
    }

    [Fact]
    public async Task Query_compares_meta_times()
    {
        var first = await CreateUserAsync("first");
        var second = await CreateUserAsync("second");
        var stamp = second.Created.ToString("O", CultureInfo.InvariantCulture);

        Assert.Equal([second.Id], await Ids(Compare("meta", ComparisonOperator.Ge, stamp, sub: "created")));
        Assert.Equal([first.Id], await Ids(Compare("meta", ComparisonOperator.Lt, stamp, sub: "created")));
        Assert.Equal([second.Id], await Ids(Compare("meta", ComparisonOperator.Eq, stamp, sub: "lastModified")));
        Assert.Empty(await Ids(Compare("meta", ComparisonOperator.Gt, stamp, sub: "lastModified")));

        var halfway = second.Created.AddTicks(-5).ToString("O", CultureInfo.InvariantCulture);
        Assert.Equal([second.Id], await Ids(Compare("meta", ComparisonOperator.Gt, halfway, sub: "created")));
        Assert.Equal([second.Id], await Ids(Compare("meta", ComparisonOperator.Ge, halfway, sub: "created")));
        Assert.Empty(await Ids(Compare("meta", ComparisonOperator.Eq, halfway, sub: "created")));
    }

    [Fact]
    public async Task Query_groups_by_member()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var g1 = await CreateGroupAsync("g1", members: [alice.Id]);
        var g2 = await CreateGroupAsync("g2", members: [bob.Id]);
        var empty = await CreateGroupAsync("empty");

        // Entra's membership probe: GET /Groups?filter=id eq "g" and members[value eq "u"].
        var probe = And(Eq("id", g1.Id), new ValuePathNode(Path("members"), Eq("value", alice.Id)));
        Assert.Equal([g1.Id], (await Query(ResourceKind.Group, probe)).Rows.Select(r => r.Id));
        Assert.Equal(0, (await Query(ResourceKind.Group, And(Eq("id", g1.Id), new ValuePathNode(Path("members"), Eq("value", bob.Id))))).TotalResults);
        Assert.Equal([g2.Id], (await Query(ResourceKind.Group, Eq("members", bob.Id, sub: "value"))).Rows.Select(r => r.Id));
        Assert.Equal([g1.Id, g2.Id], (await Query(ResourceKind.Group, new PresentNode(Path("members")))).Rows.Select(r => r.Id));
        Assert.Equal([empty.Id], (await Query(ResourceKind.Group, Not(new PresentNode(Path("members"))))).Rows.Select(r => r.Id));
    }

    [Fact]
    public async Task Filter_values_never_become_sql()
    {
        var alice = await CreateUserAsync("alice", title: "x");

        Assert.Empty(await Ids(Eq("userName", "x' OR '1'='1")));
        Assert.Empty(await Ids(Eq("title", "x') OR 1=1 --")));
        Assert.Empty(await Ids(Compare("title", ComparisonOperator.Co, "%' OR 'a' LIKE '%")));
        Assert.Equal([alice.Id], await Ids(Eq("title", "X")));
        Assert.Equal(1, (await Query(ResourceKind.User, null)).TotalResults);
    }

    [Fact]
    public async Task Query_filters_attributes_of_unknown_extensions_by_the_literal_type()
    {
        const string urn = "urn:example:params:scim:schemas:extension:acme:2.0:User";
        var at = Tick();
        var json = JsonNode.Parse(UserJson("u1", "alice"))!.AsObject();
        json[urn] = new JsonObject { ["badge"] = "B-7", ["level"] = 3, ["remote"] = true };
        var row = UserRow("u1", "alice", 1, at, at) with { Json = json.ToJsonString() };
        await Store.CommitAsync(Create(row));
        await CreateUserAsync("bob");

        Assert.Equal(["u1"], await Ids(Eq("badge", "b-7", urn: urn)));
        Assert.Equal(["u1"], await Ids(new ComparisonNode(Path("level", urn: urn), ComparisonOperator.Ge, JsonValue.Create(2))));
        Assert.Empty(await Ids(new ComparisonNode(Path("level", urn: urn), ComparisonOperator.Gt, JsonValue.Create(3.5))));
        Assert.Equal(["u1"], await Ids(new ComparisonNode(Path("remote", urn: urn), ComparisonOperator.Eq, JsonValue.Create(true))));
        Assert.Equal(["u1"], await Ids(new PresentNode(Path("badge", urn: urn))));
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>A strictly increasing clock, so creation order is deterministic.</summary>
    protected DateTimeOffset Tick() => _clock = _clock.AddSeconds(1).AddTicks(10);

    protected ResourceRow UserRow(
        string id,
        string userName,
        long version,
        DateTimeOffset modified,
        DateTimeOffset created,
        string? displayName = null,
        string? externalId = null,
        bool? active = null,
        IReadOnlyList<(string Type, string Value)>? emails = null,
        string? givenName = null,
        string? department = null,
        string? title = null,
        string? tenant = null)
    {
        var json = UserJson(id, userName, displayName, externalId, active, emails, givenName, department, title);
        var work = emails?.FirstOrDefault(e => e.Type == "work").Value;
        return new ResourceRow(tenant ?? Tenant, ResourceKind.User, id, version, json, created, modified,
            new IndexedAttributes(userName, externalId, displayName, active, work));
    }

    protected ResourceRow GroupRow(string id, string displayName, long version, DateTimeOffset modified, DateTimeOffset created, string? externalId = null, string? tenant = null) =>
        new(tenant ?? Tenant, ResourceKind.Group, id, version, GroupJson(id, displayName, externalId), created, modified,
            new IndexedAttributes(null, externalId, displayName, null, null));

    protected static ResourceCommit Create(ResourceRow row, MembershipEdit? membership = null) =>
        new(row.TenantId, row.Kind, row.Id, CommitAction.Create, 0, row, true, membership, false,
            [new EventDraft(row.Kind == ResourceKind.User ? "user.created" : "group.created", row.Kind, row.Id, row.Json)]);

    protected static ResourceCommit Update(ResourceRow row, long expectedVersion, IReadOnlyList<EventDraft> events) =>
        new(row.TenantId, row.Kind, row.Id, CommitAction.Update, expectedVersion, row, true, null, false, events);

    protected ResourceCommit Delete(ResourceKind kind, string id, long expectedVersion, IReadOnlyList<EventDraft> events) =>
        new(Tenant, kind, id, CommitAction.Delete, expectedVersion, null, false, null, false, events);

    protected async Task<ResourceRow> CreateUserAsync(
        string userName,
        string? displayName = null,
        string? externalId = null,
        bool? active = null,
        IReadOnlyList<(string Type, string Value)>? emails = null,
        string? givenName = null,
        string? department = null,
        string? title = null,
        string? tenant = null)
    {
        var at = Tick();
        var row = UserRow(NewId(), userName, 1, at, at, displayName, externalId, active, emails, givenName, department, title, tenant);
        await Store.CommitAsync(Create(row));
        return row with { Created = StoreTime.Truncate(at), LastModified = StoreTime.Truncate(at) };
    }

    protected async Task<ResourceRow> CreateGroupAsync(string displayName, IReadOnlyList<string>? members = null, string? externalId = null, string? tenant = null)
    {
        var at = Tick();
        var row = GroupRow(NewId(), displayName, 1, at, at, externalId, tenant);
        await Store.CommitAsync(Create(row, members is null ? null : new MembershipEdit(false, members, [])));
        return row with { Created = StoreTime.Truncate(at), LastModified = StoreTime.Truncate(at) };
    }

    /// <summary>Applies a membership edit to <paramref name="group"/> as a grain would: next version, new lastModified.</summary>
    protected Task<CommitResult> UpdateGroupAsync(
        ResourceRow group,
        IReadOnlyList<string>? add = null,
        IReadOnlyList<string>? remove = null,
        bool clear = false,
        bool rowChanged = true)
    {
        var row = group with { Version = group.Version + 1, LastModified = Tick() };
        return Store.CommitAsync(Update(row, group.Version, [new EventDraft("group.updated", ResourceKind.Group, group.Id, null)]) with
        {
            RowChanged = rowChanged,
            Membership = new MembershipEdit(clear, add ?? [], remove ?? []),
        });
    }

    protected async Task<IReadOnlyList<StoredEvent>> EventsAsync(string? tenant = null, int limit = 1_000) =>
        await Store.ReadEventsAsync(tenant ?? Tenant, 0, limit);

    protected Task<QueryPage> Query(ResourceKind kind, FilterNode? filter, int startIndex = 1, int count = 100, SortSpec? sort = null) =>
        Store.QueryAsync(new ResourceQuery(Tenant, kind, filter, sort, startIndex, count));

    private async Task<List<string>> Ids(FilterNode filter) =>
        (await Query(ResourceKind.User, filter)).Rows.Select(r => r.Id).ToList();

    private async Task<List<string>> SortedIds(string attribute, bool descending, string? sub = null) =>
        (await Query(ResourceKind.User, null, sort: new SortSpec(new AttributePath(null, attribute, sub), descending))).Rows.Select(r => r.Id).ToList();

    private static string NewId() => Guid.NewGuid().ToString();
}
