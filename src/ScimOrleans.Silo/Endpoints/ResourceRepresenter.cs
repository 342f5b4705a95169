using System.Buffers;
using System.Text.Json;
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
    public Task<ResourceBody> RepresentAsync(string tenantBase, string tenantId, ResourceKind kind, ResourceSchema schema, ResourceSnapshot snapshot, AttributeSelection selection, IReadOnlyList<GroupMembershipEntry>? groups, CancellationToken cancellationToken) =>
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
    public async Task<ResourceBody> RepresentAsync(
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
        IReadOnlyList<MemberEntry>? shownMembers = null;
        IReadOnlyList<GroupMembershipEntry>? shownGroups = null;
        if (kind == ResourceKind.Group && selection.Returns(schema, "members"))
        {
            shownMembers = members ?? await store.GetMembersAsync(tenantId, id, options.Value.MaxMembersReturned, cancellationToken);
        }
        else if (kind == ResourceKind.User && selection.Returns(schema, "groups"))
        {
            shownGroups = groups ?? await userGroups.GetAsync(tenantId, id, cancellationToken);
        }

        return new ResourceBody(schema, json, Generated(tenantBase, kind, id, version, created, lastModified, shownMembers, shownGroups), selection);
    }

    /// <summary>
    /// What the server adds to the stored attributes, as the text of one JSON object; the projector reads it after the
    /// attributes (the store never keeps meta, a user's groups or a group's members in them).
    /// </summary>
    private static ReadOnlyMemory<byte> Generated(
        string tenantBase,
        ResourceKind kind,
        string id,
        long version,
        DateTimeOffset created,
        DateTimeOffset lastModified,
        IReadOnlyList<MemberEntry>? members,
        IReadOnlyList<GroupMembershipEntry>? groups)
    {
        var generated = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(generated))
        {
            writer.WriteStartObject();
            ResourceRepresentation.WriteMeta(writer, kind, version, created, lastModified, ScimUrls.Resource(tenantBase, kind, id));
            if (members is { Count: > 0 })
            {
                writer.WriteStartArray("members");
                foreach (var member in members)
                {
                    writer.WriteStartObject();
                    writer.WriteString("value", member.Id);
                    writer.WriteString("$ref", ScimUrls.Resource(tenantBase, member.Kind, member.Id));
                    writer.WriteString("type", member.Kind == ResourceKind.User ? "User" : "Group");
                    if (member.Display is not null)
                    {
                        writer.WriteString("display", member.Display);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
            else if (groups is { Count: > 0 })
            {
                writer.WriteStartArray("groups");
                foreach (var group in groups)
                {
                    writer.WriteStartObject();
                    writer.WriteString("value", group.GroupId);
                    writer.WriteString("$ref", ScimUrls.Resource(tenantBase, ResourceKind.Group, group.GroupId));
                    if (group.DisplayName is not null)
                    {
                        writer.WriteString("display", group.DisplayName);
                    }

                    writer.WriteString("type", group.Direct ? "direct" : "indirect");
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return generated.WrittenMemory;
    }
}
