namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>A SCIM error produced inside a grain, returned as data (exceptions across grain calls are slow and lossy).</summary>
[GenerateSerializer, Immutable]
public sealed record ResourceError(
    [property: Id(0)] int Status,
    [property: Id(1)] string? ScimType,
    [property: Id(2)] string Detail);
