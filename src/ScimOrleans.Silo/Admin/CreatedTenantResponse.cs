namespace ScimOrleans.Silo.Admin;

/// <summary>The answer to a tenant creation: where the IdP connects and the one-time token.</summary>
public sealed record CreatedTenantResponse(TenantResponse Tenant, string TokenId, string Token);
