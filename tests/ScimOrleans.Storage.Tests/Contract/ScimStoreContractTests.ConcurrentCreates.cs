using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Contract, single creates committed at the same time by many callers (an IdP's parallel POSTs, each through its own
/// grain): each caller gets the outcome its create would have had alone, whatever the store writes together (the
/// PostgreSQL store batches creates that arrive together), and each tenant's feed gets only its own events.
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
        var attempts = creates.Select(async create =>
        {
            try
            {
                return CommitOutcome.Succeeded(await Store.CommitAsync(create));
            }
            catch (Exception error) when (error is ScimException or StoreConcurrencyException)
            {
                return CommitOutcome.Failed(error);
            }
        }).ToList();
        var outcomes = await Task.WhenAll(attempts);

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
}
