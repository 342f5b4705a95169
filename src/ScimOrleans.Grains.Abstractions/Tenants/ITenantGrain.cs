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

    /// <summary>The tenant's schema extensions in registration order; null if the tenant does not exist.</summary>
    [ReadOnly]
    Task<IReadOnlyList<TenantSchemaExtension>?> GetSchemaExtensions();

    /// <summary>
    /// Registers an extension, or replaces the one with the same URN (case-insensitive). Null if the tenant does not
    /// exist, true if it was added, false if it replaced an earlier definition.
    /// </summary>
    Task<bool?> PutSchemaExtension(TenantSchemaExtension extension);

    /// <summary>Removes an extension; false if the tenant has none with that URN. Stored values stay but are no longer shown.</summary>
    Task<bool> DeleteSchemaExtension(string urn);
}
