namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>
/// A resource as a grain holds it: its stored attributes (JSON without meta, members or groups) and the meta
/// columns. Immutable, so in-silo calls pass it without a copy.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ResourceSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Json,
    [property: Id(2)] long Version,
    [property: Id(3)] DateTimeOffset Created,
    [property: Id(4)] DateTimeOffset LastModified);
