using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Schemas;

/// <summary>
/// Everything needed to validate, patch, filter and project one resource type: its core schema and the
/// extensions it carries (built-in, like the enterprise User, or registered per tenant).
/// </summary>
public sealed class ResourceSchema
{
    public ResourceSchema(ResourceTypeDefinition resourceType, SchemaDefinition core, IReadOnlyList<SchemaDefinition> extensions)
    {
        ResourceType = resourceType;
        Core = core;
        Extensions = extensions;
        CoreAttributesWithCommon = [CommonAttributes.Id, CommonAttributes.ExternalId, .. core.Attributes];
    }

    public ResourceTypeDefinition ResourceType { get; }
    public SchemaDefinition Core { get; }
    public IReadOnlyList<SchemaDefinition> Extensions { get; }

    /// <summary>
    /// This resource type with more extensions (a tenant's own): they are added to <see cref="Extensions"/> and to the
    /// resource type's <c>schemaExtensions</c>.
    /// </summary>
    public ResourceSchema WithExtensions(IReadOnlyList<(SchemaDefinition Schema, bool Required)> extensions)
    {
        ArgumentNullException.ThrowIfNull(extensions);
        if (extensions.Count == 0)
        {
            return this;
        }

        var resourceType = ResourceType with
        {
            SchemaExtensions = [.. ResourceType.SchemaExtensions, .. extensions.Select(e => new SchemaExtensionReference(e.Schema.Id, e.Required))],
        };
        return new ResourceSchema(resourceType, Core, [.. Extensions, .. extensions.Select(e => e.Schema)]);
    }

    /// <summary>Finds an extension schema by its URN, case-insensitively.</summary>
    public SchemaDefinition? FindExtension(string urn)
    {
        for (var i = 0; i < Extensions.Count; i++)
        {
            if (string.Equals(Extensions[i].Id, urn, StringComparison.OrdinalIgnoreCase))
            {
                return Extensions[i];
            }
        }

        return null;
    }

    /// <summary>
    /// Resolves a path such as <c>userName</c>, <c>name.givenName</c>, <c>emails.value</c> or
    /// <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department</c>. Also resolves the common
    /// attributes <c>id</c>, <c>externalId</c>, <c>meta</c> (and <c>meta.created</c> etc.), and <c>schemas</c>.
    /// Returns null when the path names nothing in this resource type.
    /// </summary>
    public ResolvedAttribute? Resolve(AttributePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        SchemaDefinition schema;
        AttributeDefinition? attribute;
        if (path.SchemaUrn is null || string.Equals(path.SchemaUrn, Core.Id, StringComparison.OrdinalIgnoreCase))
        {
            schema = Core;
            attribute = Core.FindAttribute(path.Attribute) ?? CommonAttributes.Find(path.Attribute);
        }
        else
        {
            var extension = FindExtension(path.SchemaUrn);
            if (extension is null)
            {
                return null;
            }

            schema = extension;
            attribute = extension.FindAttribute(path.Attribute);
        }

        if (attribute is null)
        {
            return null;
        }

        AttributeDefinition? subAttribute = null;
        if (path.SubAttribute is not null)
        {
            subAttribute = attribute.FindSubAttribute(path.SubAttribute);
            if (subAttribute is null)
            {
                return null;
            }
        }

        return new ResolvedAttribute(schema, attribute, subAttribute) { IsCore = ReferenceEquals(schema, Core) };
    }

    /// <summary>The core schema or an extension, by URN (case-insensitive); null when this type has neither.</summary>
    public SchemaDefinition? FindSchema(string urn) =>
        string.Equals(urn, Core.Id, StringComparison.OrdinalIgnoreCase) ? Core : FindExtension(urn);

    /// <summary>Top-level core attributes a client can hold: the core schema's plus <c>id</c> and <c>externalId</c>.</summary>
    internal IReadOnlyList<AttributeDefinition> CoreAttributesWithCommon { get; }

    /// <summary>Request body member names already resolved against this schema.</summary>
    internal BodyKeyCache BodyKeys { get; } = new();

    /// <summary>
    /// Whether <paramref name="resolved"/> is Group <c>members</c>, which is stored as edges rather than in the
    /// attribute document and so is never read from or written to it.
    /// </summary>
    internal static bool IsMembers(ResolvedAttribute resolved) =>
        resolved.IsCore
        && string.Equals(resolved.Schema.Id, ScimUris.Group, StringComparison.Ordinal)
        && string.Equals(resolved.Attribute.Name, "members", StringComparison.Ordinal);

    /// <summary>User <c>groups</c>, derived from group membership and never stored with the user.</summary>
    internal static bool IsGroups(ResolvedAttribute resolved) =>
        resolved.IsCore
        && string.Equals(resolved.Schema.Id, ScimUris.User, StringComparison.Ordinal)
        && string.Equals(resolved.Attribute.Name, "groups", StringComparison.Ordinal);
}
