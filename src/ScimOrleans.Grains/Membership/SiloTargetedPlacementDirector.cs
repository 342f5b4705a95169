using Orleans.Runtime.Placement;

namespace ScimOrleans.Grains.Membership;

/// <summary>
/// Puts the activation on the silo named by the grain's key. A silo that is not (or no longer) in the cluster gets
/// none: the call fails, which its caller expects (a silo that is gone holds no cache to invalidate).
/// </summary>
internal sealed class SiloTargetedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wanted = SiloAddress.FromParsableString(target.GrainIdentity.Key.ToString()!);
        return Array.IndexOf(context.GetCompatibleSilos(target), wanted) >= 0
            ? Task.FromResult(wanted)
            : Task.FromException<SiloAddress>(new OrleansException($"Silo {wanted} is not an active member of the cluster."));
    }
}
