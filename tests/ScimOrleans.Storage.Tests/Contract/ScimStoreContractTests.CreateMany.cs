using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Contract, many creates at once (<see cref="IScimStore.CreateManyAsync"/>): the same outcome for every create as
/// committing them one after another, in list order, with nothing of a failed create written.
/// </summary>
public abstract partial class ScimStoreContractTests
{
    [Fact]
    public async Task Create_many_writes_every_row_and_its_event_in_list_order()
    {
        // More than one batch of every store (the PostgreSQL store writes up to 250 creates per transaction).
        var rows = Enumerable.Range(0, 600).Select(i => { var at = Tick(); return UserRow($"bulk-{i:D4}", $"user{i}", 1, at, at); }).ToList();

        var outcomes = await Store.CreateManyAsync(rows.Select(r => Create(r)).ToList());

        Assert.Equal(rows.Count, outcomes.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Null(outcomes[i].Error);
            Assert.Equal(new CommitResult(true, 1, StoreTime.Truncate(rows[i].LastModified), [], []), outcomes[i].Result! with { TouchedGroups = [], ChangedMembers = [], JoinedUsers = null });
            Assert.Empty(outcomes[i].Result!.TouchedGroups);
            Assert.Empty(outcomes[i].Result!.ChangedMembers!);
            Assert.Empty(outcomes[i].Result!.JoinedUsers ?? []);
        }

        Assert.Equal(rows[599] with { Created = StoreTime.Truncate(rows[599].Created), LastModified = StoreTime.Truncate(rows[599].LastModified) },
            await Store.GetAsync(Tenant, ResourceKind.User, "bulk-0599"));
        var events = await EventsAsync(limit: 1_000);
        Assert.Equal(rows.Select(r => r.Id), events.Select(e => e.ResourceId));
        Assert.All(events, e => Assert.Equal("user.created", e.Type));
        Assert.Equal(rows.Select(r => StoreTime.Truncate(r.LastModified)), events.Select(e => e.OccurredAt));
        Assert.Equal(600, (await Query(ResourceKind.User, null, count: 0)).TotalResults);
    }

    [Fact]
    public async Task Create_many_fails_only_the_creates_that_conflict_and_the_first_of_a_repeated_name_wins()
    {
        var taken = await CreateUserAsync("taken");
        var eventsBefore = (await EventsAsync()).Count;
        var rows = new[] { "first", "TAKEN", "second", "Second", "third" }
            .Select((name, i) => { var at = Tick(); return UserRow($"u-{i}", name, 1, at, at); })
            .ToList();
        var creates = rows.Select(r => Create(r)).ToList();
        // An id that exists already: the same failure as a single create of it.
        var duplicateId = UserRow(taken.Id, "fresh-name", 1, Tick(), taken.Created);
        creates.Add(Create(duplicateId));

        var outcomes = await Store.CreateManyAsync(creates);

        Assert.Null(outcomes[0].Error);
        Assert.Equal(409, Assert.IsType<ScimException>(outcomes[1].Error).Status);
        Assert.Equal("uniqueness", ((ScimException)outcomes[1].Error!).ScimType);
        Assert.Null(outcomes[2].Error);
        Assert.Equal("uniqueness", Assert.IsType<ScimException>(outcomes[3].Error).ScimType);
        Assert.Null(outcomes[4].Error);
        Assert.IsType<StoreConcurrencyException>(outcomes[5].Error);
        Assert.All(outcomes, o => Assert.True((o.Result is null) != (o.Error is null)));

        Assert.NotNull(await Store.GetAsync(Tenant, ResourceKind.User, "u-2"));
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.User, "u-1"));
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.User, "u-3"));
        Assert.Equal(taken, await Store.GetAsync(Tenant, ResourceKind.User, taken.Id));
        var events = (await EventsAsync()).Skip(eventsBefore).ToList();
        Assert.Equal(["u-0", "u-2", "u-4"], events.Select(e => e.ResourceId));
    }

    [Fact]
    public async Task Create_many_writes_groups_with_members_and_their_membership_events()
    {
        var alice = await CreateUserAsync("alice");
        var eventsBefore = (await EventsAsync()).Count;
        var plainAt = Tick();
        var plain = GroupRow("g-plain", "plain", 1, plainAt, plainAt);
        var withMembersAt = Tick();
        var withMembers = GroupRow("g-members", "with members", 1, withMembersAt, withMembersAt);
        var missingAt = Tick();
        var missingMember = GroupRow("g-missing", "missing member", 1, missingAt, missingAt);
        var lastAt = Tick();
        var last = GroupRow("g-last", "last", 1, lastAt, lastAt);

        var outcomes = await Store.CreateManyAsync(
        [
            Create(plain),
            Create(withMembers, new MembershipEdit(false, [alice.Id], [])),
            Create(missingMember, new MembershipEdit(false, ["no-such-user"], [])),
            Create(last),
        ]);

        Assert.Null(outcomes[0].Error);
        Assert.Null(outcomes[1].Error);
        Assert.Equal(400, Assert.IsType<ScimException>(outcomes[2].Error).Status);
        Assert.Null(outcomes[3].Error);
        Assert.Equal(1, await Store.CountMembersAsync(Tenant, "g-members"));
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.Group, "g-missing"));
        var events = (await EventsAsync()).Skip(eventsBefore).Select(e => (e.Type, e.ResourceId)).ToList();
        Assert.Equal(
            [("group.created", "g-plain"), ("group.created", "g-members"), ("group.user_added", "g-members"), ("group.created", "g-last")],
            events);
    }

    [Fact]
    public async Task Create_many_takes_creates_only()
    {
        var user = await CreateUserAsync("alice");
        var update = Update(user with { Version = 2 }, 1, []);

        Assert.Empty(await Store.CreateManyAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateManyAsync([update]));
        Assert.Equal(1, (await Store.GetAsync(Tenant, ResourceKind.User, user.Id))!.Version);
    }
}
