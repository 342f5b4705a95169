namespace ScimOrleans.Grains.Abstractions.Tenants;

/// <summary>A tenant's configuration as the admin API and the authentication layer see it.</summary>
[GenerateSerializer, Immutable]
public sealed record TenantInfo(
    [property: Id(0)] string TenantId,
    [property: Id(1)] DateTimeOffset Created,
    [property: Id(2)] MembershipPolicy MembershipPolicy,
    [property: Id(3)] IReadOnlyList<TenantToken> Tokens);
