namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>
/// The outcome of a resource grain call: exactly one of <see cref="Resource"/> and <see cref="Error"/> is set, or
/// neither after a delete. <see cref="InNoGroup"/>: the call's own commit removed the resource from every group (a
/// deactivated user), so its response shows no <c>groups</c> without asking the store.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ResourceResult(
    [property: Id(0)] ResourceSnapshot? Resource,
    [property: Id(1)] ResourceError? Error,
    [property: Id(2)] bool Changed,
    [property: Id(3)] bool InNoGroup = false)
{
    public static ResourceResult Success(ResourceSnapshot resource, bool changed) => new(resource, null, changed);

    public static ResourceResult Deleted { get; } = new(null, null, true);

    public static ResourceResult Failure(int status, string? scimType, string detail) =>
        new(null, new ResourceError(status, scimType, detail), false);
}
