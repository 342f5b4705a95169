using System.Text.Json.Nodes;
using ScimOrleans.Grains.Security;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Resources;

/// <summary>
/// Turns a POST body into the commit that creates the resource: validation, id, row, edges, event and password hash.
/// The one create path, shared by a resource grain's <c>Create</c> and the bulk creator.
/// </summary>
internal static class ResourceCreation
{
    /// <summary>
    /// The commit creating the resource <paramref name="request"/> describes, validated against <paramref name="schema"/>;
    /// throws a SCIM error when it is invalid.
    /// </summary>
    public static ResourceCommit Prepare(string tenantId, ResourceKind kind, string id, ResourceSchema schema, JsonObject request, PasswordHasher passwordHasher)
    {
        var outcome = ResourceWriter.PrepareCreate(schema, request);
        var created = ResourceAttributes.WithId(outcome.Resource, id);
        var now = ResourceClock.Now();
        var row = new ResourceRow(tenantId, kind, id, 1, created.ToJsonString(), now, now, IndexedAttributeReader.Read(kind, created));
        var membership = outcome.Members is { IsEmpty: false } members
            ? new MembershipEdit(false, [.. members.Added.Select(m => m.Value)], [])
            : null;
        var commit = new ResourceCommit(
            tenantId, kind, id, CommitAction.Create, 0, row, true, membership, false,
            [ResourceEvents.For("created", row)],
            PasswordHash: outcome.NewPassword is { } password ? passwordHasher.Hash(password) : null);
        return commit;
    }

    /// <summary>The error of a create whose id exists already (ids are fresh GUIDs: in practice, a replayed create).</summary>
    public static ScimException IdTaken(ResourceKind kind, string id) =>
        ScimException.Uniqueness($"A {ResourceEvents.Prefix(kind)} with id '{id}' already exists.");
}
