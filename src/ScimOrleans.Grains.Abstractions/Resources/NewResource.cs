namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>A resource to create: the id it gets and its POST body (JSON text).</summary>
[GenerateSerializer, Immutable]
public sealed record NewResource(
    [property: Id(0)] string Id,
    [property: Id(1)] string Body);
