using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Membership;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Grains.Schemas;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Groups;

/// <summary>
/// A SCIM Group. Its grain holds only the group's own attributes; members are edges in the store, so adding or
/// removing k members costs O(k) whatever the group's size, and concurrent member PATCHes are applied one after
/// another in arrival order.
/// </summary>
public sealed class GroupGrain(IScimStore store, ITenantSchemaProvider schemas, IOptions<ScimGrainOptions> options, UserGroupsInvalidator groupsInvalidator, ILogger<GroupGrain> logger)
    : ResourceGrain(store, schemas, options, groupsInvalidator, logger), IGroupGrain
{
    protected override ResourceKind Kind => ResourceKind.Group;
}
