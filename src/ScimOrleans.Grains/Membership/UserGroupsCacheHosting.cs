using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace ScimOrleans.Grains.Membership;

/// <summary>Registers the silo's <see cref="UserGroupsCache"/> and what keeps it true across silos.</summary>
public static class UserGroupsCacheHosting
{
    /// <summary>Adds the cache, its invalidator and the per-silo placement its invalidation grain needs.</summary>
    public static ISiloBuilder AddUserGroupsCache(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton<UserGroupsCache>();
        silo.Services.AddSingleton<UserGroupsInvalidator>();
        silo.Services.AddPlacementDirector<SiloTargetedPlacement, SiloTargetedPlacementDirector>();
        return silo;
    }
}
