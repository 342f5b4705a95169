using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Grains.Membership;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Grains.Schemas;
using ScimOrleans.Grains.Tenants;
using ScimOrleans.Storage;
using ScimOrleans.Storage.Sqlite;

namespace ScimOrleans.Grains.Tests;

/// <summary>
/// An in-process Orleans test cluster (two silos) whose grains share one SQLite store in memory, so tests
/// exercise real grain activation, placement and calls across silos.
/// </summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster cluster = null!;

    public IGrainFactory Grains => cluster.Client;

    public IScimStore Store { get; private set; } = null!;

    /// <summary>Each silo's own cache of users' groups, in silo order.</summary>
    public IReadOnlyList<UserGroupsCache> GroupsCaches =>
        [.. cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<UserGroupsCache>())];

    /// <summary>A fresh tenant (default membership policy), so that tests sharing the cluster never see each other's data.</summary>
    public async Task<string> NewTenantAsync()
    {
        var tenant = "t" + Guid.NewGuid().ToString("N")[..10];
        await Grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant(tenant)).Create(MembershipPolicy.RemoveFromGroups);
        return tenant;
    }

    public async Task InitializeAsync()
    {
        var store = new SqliteScimStore(new SqliteStoreOptions(SqliteConnectionStrings.ForSharedMemory("grains-" + Guid.NewGuid().ToString("N"))));
        await store.MigrateAsync();
        Store = store;
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Scim);
            silo.Services.AddSingleton<IScimStore>(store);
            silo.Services.AddSingleton<ITenantSchemaProvider, TenantSchemaProvider>();
            silo.AddUserGroupsCache();
            silo.AddResourceGrainCollection();
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
