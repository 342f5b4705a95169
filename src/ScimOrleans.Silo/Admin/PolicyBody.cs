using ScimOrleans.Grains.Abstractions.Tenants;

namespace ScimOrleans.Silo.Admin;

/// <summary>Body and answer of <c>/admin/v1/tenants/{id}/policy</c>.</summary>
public sealed record PolicyBody(MembershipPolicy? MembershipPolicy);
