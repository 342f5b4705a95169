namespace ScimOrleans.Grains.Membership;

/// <summary>One silo's <see cref="UserGroupsCache"/>, reachable from any silo: the grain's key is the silo's address.</summary>
public interface ISiloGroupsCacheGrain : IGrainWithStringKey
{
    /// <summary>Forgets these users' groups on this silo.</summary>
    Task InvalidateUsers(string tenantId, IReadOnlyList<string> userIds);

    /// <summary>Forgets every user's groups of the tenant on this silo.</summary>
    Task InvalidateTenant(string tenantId);
}
