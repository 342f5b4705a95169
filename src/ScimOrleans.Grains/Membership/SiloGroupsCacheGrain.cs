namespace ScimOrleans.Grains.Membership;

/// <summary>
/// Delivers invalidations to the <see cref="UserGroupsCache"/> of the silo it lives on. Reentrant and stateless:
/// each message only advances counters, so none waits behind another.
/// </summary>
[SiloTargetedPlacement, Reentrant]
public sealed class SiloGroupsCacheGrain(UserGroupsCache cache) : Grain, ISiloGroupsCacheGrain
{
    public Task InvalidateUsers(string tenantId, IReadOnlyList<string> userIds)
    {
        cache.InvalidateUsers(tenantId, userIds);
        return Task.CompletedTask;
    }

    public Task InvalidateTenant(string tenantId)
    {
        cache.InvalidateTenant(tenantId);
        return Task.CompletedTask;
    }
}
