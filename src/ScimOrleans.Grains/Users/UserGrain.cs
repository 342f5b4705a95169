using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Membership;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Grains.Schemas;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Users;

/// <summary>
/// A SCIM User. On top of the shared resource life it owns the deactivation rule: whatever dialect turns
/// <c>active</c> false (boolean, "False", path-less replace, full PUT), the tenant's membership policy is applied
/// in the same transaction as the update.
/// </summary>
public sealed class UserGrain(
    IScimStore store,
    ITenantSchemaProvider schemas,
    IOptions<ScimGrainOptions> options,
    UserGroupsInvalidator groupsInvalidator,
    UserGroupsCache groups,
    ILogger<UserGrain> logger)
    : ResourceGrain(store, schemas, options, groupsInvalidator, logger), IUserGrain
{
    protected override ResourceKind Kind => ResourceKind.User;

    /// <summary>
    /// For a read, the row and with it the user's groups when the silo's cache lacks them: the response shows them next.
    /// A write loads the row alone (a deactivation would drop the groups it brought).
    /// </summary>
    protected override Task<ResourceRow?> LoadAsync(bool forRead) =>
        forRead ? groups.LoadUserAsync(TenantId, ResourceId) : base.LoadAsync(forRead);

    protected override async ValueTask<LifecycleEffect> PlanLifecycleAsync(JsonObject current, JsonObject updated, ResourceRow updatedRow)
    {
        var wasActive = IndexedAttributeReader.IsActive(current);
        var isActive = IndexedAttributeReader.IsActive(updated);
        if (wasActive == isActive)
        {
            return LifecycleEffect.None;
        }

        var otherChanges = !EqualExceptActive(current, updated);
        if (isActive)
        {
            return new LifecycleEffect([Event("reactivated", updatedRow)], false, otherChanges);
        }

        var tenant = await GrainFactory.GetTenantGrain(TenantId).Get();
        var removeFromGroups = (tenant?.MembershipPolicy ?? MembershipPolicy.RemoveFromGroups) == MembershipPolicy.RemoveFromGroups;
        return new LifecycleEffect([Event("deactivated", updatedRow)], removeFromGroups, otherChanges);
    }

    /// <summary>Whether the two differ only in <c>active</c>, compared in place (no clones on a deactivation wave).</summary>
    private static bool EqualExceptActive(JsonObject left, JsonObject right)
    {
        var leftCount = left.Count - (left.ContainsKey("active") ? 1 : 0);
        var rightCount = right.Count - (right.ContainsKey("active") ? 1 : 0);
        if (leftCount != rightCount)
        {
            return false;
        }

        foreach (var (name, value) in left)
        {
            if (name != "active" && (!right.TryGetPropertyValue(name, out var other) || !JsonNode.DeepEquals(value, other)))
            {
                return false;
            }
        }

        return true;
    }
}
