using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Contract, commits made at the same time by many callers (an IdP's parallel POSTs and PATCHes, each through its own
/// grain): each caller gets the outcome its commit would have had alone, whatever the store writes together (the
/// PostgreSQL store batches creates, and updates that take one round trip, that arrive together), and each tenant's
/// feed gets only its own events.
/// </summary>
public abstract partial class ScimStoreContractTests
{
    [Fact]
    public async Task Concurrent_single_creates_each_get_their_own_outcome()
    {
        var elsewhere = Tenant + "-elsewhere";
        await Store.CreateTenantAsync(elsewhere, DateTimeOffset.UnixEpoch);
        var taken = await CreateUserAsync("taken");
        var eventsBefore = (await EventsAsync()).Count;
        const int count = 120;
        const int takenName = 38; // even: in Tenant, where "taken" exists
        const int takenId = 82;
        var at = Tick();
        var creates = Enumerable.Range(0, count).Select(i =>
        {
            var tenant = i % 2 == 0 ? Tenant : elsewhere;
            var id = i == takenId ? taken.Id : $"c-{i:D3}";
            var name = i == takenName ? "TAKEN" : $"user-{i}";
            return Create(UserRow(id, name, 1, at, at, tenant: tenant));
        }).ToList();

        // Started together, awaited together: the store sees them all in flight at once.
        var outcomes = await CommitAllAtOnceAsync(creates);

        for (var i = 0; i < count; i++)
        {
            switch (i)
            {
                case takenName:
                    Assert.Equal("uniqueness", Assert.IsType<ScimException>(outcomes[i].Error).ScimType);
                    break;
                case takenId:
                    Assert.IsType<StoreConcurrencyException>(outcomes[i].Error);
                    break;
                default:
                    Assert.Null(outcomes[i].Error);
                    Assert.Equal(1, outcomes[i].Result!.Version);
                    Assert.Equal(StoreTime.Truncate(at), outcomes[i].Result!.LastModified);
                    break;
            }
        }

        Assert.Equal(taken, await Store.GetAsync(Tenant, ResourceKind.User, taken.Id));
        Assert.Null(await Store.GetAsync(Tenant, ResourceKind.User, $"c-{takenName:D3}"));
        Assert.Null(await Store.GetAsync(elsewhere, ResourceKind.User, $"c-{takenName:D3}"));
        var written = Enumerable.Range(0, count).Where(i => i is not (takenName or takenId)).ToList();
        foreach (var i in written)
        {
            Assert.NotNull(await Store.GetAsync(i % 2 == 0 ? Tenant : elsewhere, ResourceKind.User, $"c-{i:D3}"));
        }

        // One user.created per written create, in its own tenant's feed (order across callers is not defined).
        var here = (await EventsAsync()).Skip(eventsBefore).Select(e => (e.Type, e.ResourceId)).Order().ToList();
        var there = (await EventsAsync(elsewhere)).Select(e => (e.Type, e.ResourceId)).Order().ToList();
        Assert.Equal(written.Where(i => i % 2 == 0).Select(i => ("user.created", $"c-{i:D3}")).Order(), here);
        Assert.Equal(written.Where(i => i % 2 == 1).Select(i => ("user.created", $"c-{i:D3}")).Order(), there);
    }

    [Fact]
    public async Task Concurrent_updates_each_get_their_own_outcome()
    {
        const int count = 60;
        const int stale = 13;
        const int renamedToTaken = 22;
        var users = new List<ResourceRow>();
        for (var i = 0; i < count; i++)
        {
            users.Add(await CreateUserAsync($"member-{i}"));
        }

        var group = await CreateGroupAsync("everyone", members: [.. users.Select(u => u.Id)]);
        var eventsBefore = (await EventsAsync()).Count;
        var at = Tick();

        // Even users are deactivated (and leave the group), odd ones renamed; one writer is stale, one takes a taken name.
        var commits = users.Select((user, i) =>
        {
            var expected = i == stale ? 5 : 1;
            var row = i % 2 == 0
                ? UserRow(user.Id, $"member-{i}", expected + 1, at, user.Created, active: false)
                : UserRow(user.Id, i == renamedToTaken + 1 ? "member-0" : $"renamed-{i}", expected + 1, at, user.Created);
            var update = Update(row, expected, [new EventDraft("user.updated", ResourceKind.User, user.Id, null)]);
            return i % 2 == 0 ? update with { RemoveFromAllGroups = true } : update;
        }).ToList();
        commits.Add(Update(UserRow("ghost", "ghost", 2, at, at), 1, []));

        var outcomes = await CommitAllAtOnceAsync(commits);

        var failed = new[] { stale, renamedToTaken + 1 };
        Assert.IsType<StoreConcurrencyException>(outcomes[stale].Error);
        Assert.Equal("uniqueness", Assert.IsType<ScimException>(outcomes[renamedToTaken + 1].Error).ScimType);
        Assert.Equal(404, Assert.IsType<ScimException>(outcomes[count].Error).Status);
        for (var i = 0; i < count; i++)
        {
            var stored = (await Store.GetAsync(Tenant, ResourceKind.User, users[i].Id))!;
            if (failed.Contains(i))
            {
                Assert.Equal(users[i], stored);
                continue;
            }

            var result = outcomes[i].Result!;
            Assert.Equal(2, result.Version);
            Assert.Equal(2, stored.Version);
            Assert.Equal(i % 2 == 0 ? [group.Id] : [], result.TouchedGroups);
        }

        // The group keeps the odd users and the stale writer's user, which stayed as it was.
        var members = (await Store.GetMembersAsync(Tenant, group.Id, 1_000)).Select(m => m.Id).Order().ToList();
        Assert.Equal(users.Where((_, i) => i % 2 == 1 || i == stale).Select(u => u.Id).Order(), members);

        var events = (await EventsAsync()).Skip(eventsBefore).ToList();
        var written = Enumerable.Range(0, count).Where(i => !failed.Contains(i)).ToList();
        Assert.Equal(written.Select(i => users[i].Id).Order(), events.Where(e => e.Type == "user.updated").Select(e => e.ResourceId).Order());
        Assert.Equal(
            written.Where(i => i % 2 == 0).Select(i => users[i].Id).Order(),
            events.Where(e => e.Type == "group.user_removed").Select(e => System.Text.Json.JsonDocument.Parse(e.DataJson!).RootElement.GetProperty("memberId").GetString()!).Order());
    }

    /// <summary>Commits every one of <paramref name="commits"/> at the same time; each outcome as the caller saw it.</summary>
    private async Task<CommitOutcome[]> CommitAllAtOnceAsync(IEnumerable<ResourceCommit> commits) =>
        await Task.WhenAll(commits.Select(async commit =>
        {
            try
            {
                return CommitOutcome.Succeeded(await Store.CommitAsync(commit));
            }
            catch (Exception error) when (error is ScimException or StoreConcurrencyException)
            {
                return CommitOutcome.Failed(error);
            }
        }));
}
