using System.Text.Json.Nodes;

namespace ScimOrleans.Protocol.Schemas;

/// <summary>A resource type as published under <c>/ResourceTypes</c> (RFC 7643 §6); <see cref="Name"/> doubles as id.</summary>
public sealed record ResourceTypeDefinition(
    string Name,
    string Endpoint,
    string Description,
    string Schema,
    IReadOnlyList<SchemaExtensionReference> SchemaExtensions)
{
    /// <summary>The RFC 7643 §6 representation; <paramref name="baseUrl"/> (no trailing slash) fills meta.location.</summary>
    public JsonObject ToJson(string baseUrl) => SchemaJson.Write(this, baseUrl);
}
