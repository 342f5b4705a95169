using Orleans.Placement;

namespace ScimOrleans.Grains.Membership;

/// <summary>Marks a grain class as placed by <see cref="SiloTargetedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloTargetedPlacementAttribute() : PlacementAttribute(SiloTargetedPlacement.Instance);
