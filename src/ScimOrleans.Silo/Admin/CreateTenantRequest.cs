using ScimOrleans.Grains.Abstractions.Tenants;

namespace ScimOrleans.Silo.Admin;

/// <summary>Body of <c>POST /admin/v1/tenants</c>.</summary>
public sealed record CreateTenantRequest(string? Id, MembershipPolicy? MembershipPolicy, string? TokenDescription);
