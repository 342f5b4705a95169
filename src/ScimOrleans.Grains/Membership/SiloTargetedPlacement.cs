namespace ScimOrleans.Grains.Membership;

/// <summary>
/// Places a grain on the silo its key names (<see cref="SiloAddress.ToParsableString"/>): one activation per silo,
/// for messages that must reach every silo of the cluster.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloTargetedPlacement : PlacementStrategy
{
    internal static SiloTargetedPlacement Instance { get; } = new();
}
