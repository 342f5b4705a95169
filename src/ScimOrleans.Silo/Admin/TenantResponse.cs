using ScimOrleans.Grains.Abstractions.Tenants;

namespace ScimOrleans.Silo.Admin;

/// <summary>A tenant as the admin API shows it (token hashes are never shown).</summary>
public sealed record TenantResponse(string Id, string ScimBaseUrl, DateTimeOffset Created, MembershipPolicy MembershipPolicy, IReadOnlyList<TokenSummary> Tokens);
