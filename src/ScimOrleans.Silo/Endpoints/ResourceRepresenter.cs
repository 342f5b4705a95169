using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Membership;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Protocol.Projection;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Silo.Hosting;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// Turns a stored resource into its response: attributes, meta, and — only when the response will show them —
/// the group's members (read from the store's edges) or the user's groups (from the silo's <see cref="UserGroupsCache"/>).
/// </summary>
public sealed class ResourceRepresenter(IScimStore store, UserGroupsCache userGroups, IOptions<ScimOptions> options)
{
    /// <summary>
    /// The response body of a resource a grain answered with; <paramref name="groups"/>, when not null, are a user's
    /// groups already in hand (e.g. none for a user just created), so they are not read from the store.
    /// </summary>
    public Task<JsonObject> RepresentAsync(string tenantBase, string tenantId, ResourceKind kind, ResourceSchema schema, ResourceSnapshot snapshot, AttributeSelection selection, IReadOnlyList<GroupMembershipEntry>? groups, CancellationToken cancellationToken) =>
        RepresentAsync(tenantBase, tenantId, kind, schema, snapshot.Id, snapshot.Json, snapshot.Version, snapshot.Created, snapshot.LastModified, selection, groups, members: null, cancellationToken);

    /// <summary>
    /// The users' groups a page of resources shows, from the silo's <see cref="UserGroupsCache"/> and, for users not
    /// in it, one store query: null when no row is a user whose <paramref name="selection"/> returns <c>groups</c>;
    /// otherwise an entry (possibly empty) for each such user.
    /// Pass each user's entry to <see cref="RepresentAsync(string, string, ResourceKind, ResourceSchema, string, string, long, DateTimeOffset, DateTimeOffset, AttributeSelection, IReadOnlyList{GroupMembershipEntry}?, IReadOnlyList{MemberEntry}?, CancellationToken)"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<GroupMembershipEntry>>?> GroupsOfUsersAsync(
        string tenantId, ResourceSchema schema, AttributeSelection selection, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken) =>
        userIds.Count > 0 && selection.Returns(schema, "groups")
            ? await userGroups.GetManyAsync(tenantId, userIds, cancellationToken)
            : null;

    /// <summary>
    /// The groups' members a page of resources shows, in one store query and at most
    /// <see cref="ScimOptions.MembersPerGroupInList"/> per group: null when no row is a group whose
    /// <paramref name="selection"/> returns <c>members</c>; otherwise an entry (possibly empty) for each such group.
    /// Pass each group's entry to <see cref="RepresentAsync(string, string, ResourceKind, ResourceSchema, string, string, long, DateTimeOffset, DateTimeOffset, AttributeSelection, IReadOnlyList{GroupMembershipEntry}?, IReadOnlyList{MemberEntry}?, CancellationToken)"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MemberEntry>>?> MembersOfGroupsAsync(
        string tenantId, ResourceSchema schema, AttributeSelection selection, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken) =>
        groupIds.Count > 0 && selection.Returns(schema, "members")
            ? await store.GetMembersOfGroupsAsync(tenantId, groupIds, options.Value.MembersPerGroupInList(), cancellationToken)
            : null;

    /// <summary>
    /// The response body of one resource. <paramref name="schema"/> is the tenant's schema of <paramref name="kind"/>.
    /// A user's <paramref name="groups"/> or a group's <paramref name="members"/>, when not null, are used instead of
    /// reading them from the store (they are shown only when <paramref name="selection"/> returns <c>groups</c> or
    /// <c>members</c>; <paramref name="members"/> are shown as given, already capped: list pages read them with a lower
    /// cap, see <see cref="MembersOfGroupsAsync"/>). Read here, a group's members are capped at
    /// <c>Scim:MaxMembersReturned</c> (page through a bigger group with <c>GET /Users?filter=groups.value eq "{id}"</c>).
    /// </summary>
    public async Task<JsonObject> RepresentAsync(
        string tenantBase,
        string tenantId,
        ResourceKind kind,
        ResourceSchema schema,
        string id,
        string json,
        long version,
        DateTimeOffset created,
        DateTimeOffset lastModified,
        AttributeSelection selection,
        IReadOnlyList<GroupMembershipEntry>? groups,
        IReadOnlyList<MemberEntry>? members,
        CancellationToken cancellationToken)
    {
        var attributes = JsonNode.Parse(json)!.AsObject();
        ResourceRepresentation.Build(kind, attributes, version, created, lastModified, ScimUrls.Resource(tenantBase, kind, id));
        if (kind == ResourceKind.Group && selection.Returns(schema, "members"))
        {
            members ??= await store.GetMembersAsync(tenantId, id, options.Value.MaxMembersReturned, cancellationToken);
            if (members.Count > 0)
            {
                var array = new JsonArray();
                foreach (var member in members)
                {
                    var entry = new JsonObject
                    {
                        ["value"] = member.Id,
                        ["$ref"] = ScimUrls.Resource(tenantBase, member.Kind, member.Id),
                        ["type"] = member.Kind == ResourceKind.User ? "User" : "Group",
                    };
                    if (member.Display is not null)
                    {
                        entry["display"] = member.Display;
                    }

                    array.Add(entry);
                }

                attributes["members"] = array;
            }
        }
        else if (kind == ResourceKind.User && selection.Returns(schema, "groups"))
        {
            groups ??= await userGroups.GetAsync(tenantId, id, cancellationToken);
            if (groups.Count > 0)
            {
                var array = new JsonArray();
                foreach (var group in groups)
                {
                    var entry = new JsonObject
                    {
                        ["value"] = group.GroupId,
                        ["$ref"] = ScimUrls.Resource(tenantBase, ResourceKind.Group, group.GroupId),
                    };
                    if (group.DisplayName is not null)
                    {
                        entry["display"] = group.DisplayName;
                    }

                    entry["type"] = group.Direct ? "direct" : "indirect";
                    array.Add(entry);
                }

                attributes["groups"] = array;
            }
        }

        return ResourceProjector.Project(schema, attributes, selection);
    }
}
