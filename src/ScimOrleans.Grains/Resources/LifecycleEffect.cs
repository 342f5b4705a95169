using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Resources;

/// <summary>What a kind-specific rule adds to an update: extra events and whether to drop the resource's memberships.</summary>
public sealed record LifecycleEffect(IReadOnlyList<EventDraft> Events, bool RemoveFromAllGroups, bool AttributesOtherThanLifecycleChanged)
{
    public static LifecycleEffect None { get; } = new([], false, true);
}
