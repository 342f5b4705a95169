namespace ScimOrleans.Grains.Abstractions.Tenants;

/// <summary>
/// A tenant's configuration: credentials and membership policy, in Orleans grain storage. Key:
/// <c>{tenant}/tenant</c>. Not on the SCIM write path: resource grains read its policy and cache it.
/// </summary>
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant; null if it already exists.</summary>
    Task<TenantInfo?> Create(MembershipPolicy policy);

    /// <summary>The tenant, or null if it does not exist.</summary>
    [ReadOnly]
    Task<TenantInfo?> Get();

    /// <summary>Issues a new random bearer token; null if the tenant does not exist.</summary>
    Task<IssuedToken?> IssueToken(string? description);

    /// <summary>
    /// Registers a token supplied by the operator (bootstrap); idempotent. Creates the tenant if needed.
    /// </summary>
    Task<TenantInfo> EnsureToken(string token, string description);

    /// <summary>Revokes a token; false if unknown.</summary>
    Task<bool> RevokeToken(string tokenId);

    /// <summary>Sets the deactivation policy; null if the tenant does not exist.</summary>
    Task<TenantInfo?> SetMembershipPolicy(MembershipPolicy policy);

    /// <summary>Deletes the tenant, its credentials and every resource, edge and event it owns.</summary>
    Task<bool> Delete();
}
