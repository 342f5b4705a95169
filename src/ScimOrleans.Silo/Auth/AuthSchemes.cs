namespace ScimOrleans.Silo.Auth;

/// <summary>Authentication schemes and policies of the host.</summary>
public static class AuthSchemes
{
    /// <summary>A tenant's SCIM bearer token; valid only for the tenant named in the route.</summary>
    public const string TenantToken = "TenantToken";

    /// <summary>The operator's admin key.</summary>
    public const string AdminKey = "AdminKey";

    public const string TenantClaim = "scim_tenant";
}
