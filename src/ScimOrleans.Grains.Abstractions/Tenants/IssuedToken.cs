namespace ScimOrleans.Grains.Abstractions.Tenants;

/// <summary>A freshly issued token: the clear text is returned once and never stored.</summary>
[GenerateSerializer, Immutable]
public sealed record IssuedToken(
    [property: Id(0)] string TokenId,
    [property: Id(1)] string Token);
