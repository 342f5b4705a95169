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
    }

    public ResourceTypeDefinition ResourceType { get; }
    public SchemaDefinition Core { get; }
    public IReadOnlyList<SchemaDefinition> Extensions { get; }

    /// <summary>Finds an extension schema by its URN, case-insensitively.</summary>
    public SchemaDefinition? FindExtension(string urn) =>
        Extensions.FirstOrDefault(e => string.Equals(e.Id, urn, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Resolves a path such as <c>userName</c>, <c>name.givenName</c>, <c>emails.value</c> or
    /// <c>urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department</c>. Also resolves the common
    /// attributes <c>id</c>, <c>externalId</c>, <c>meta</c> (and <c>meta.created</c> etc.), and <c>schemas</c>.
    /// Returns null when the path names nothing in this resource type.
    /// </summary>
    public ResolvedAttribute? Resolve(AttributePath path) => throw new NotImplementedException();
}
