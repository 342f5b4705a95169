namespace ScimOrleans.Grains.Abstractions.Tenants;

/// <summary>A SCIM bearer token of a tenant: only its SHA-256 hash is kept.</summary>
[GenerateSerializer, Immutable]
public sealed record TenantToken(
    [property: Id(0)] string TokenId,
    [property: Id(1)] string Sha256,
    [property: Id(2)] DateTimeOffset Created,
    [property: Id(3)] string? Description);
