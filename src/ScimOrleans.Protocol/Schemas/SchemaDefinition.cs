using System.Text.Json.Nodes;

namespace ScimOrleans.Protocol.Schemas;

/// <summary>A schema (core or extension) as published under <c>/Schemas</c>.</summary>
public sealed record SchemaDefinition(string Id, string Name, string Description, IReadOnlyList<AttributeDefinition> Attributes)
{
    /// <summary>Finds a top-level attribute by name, case-insensitively.</summary>
    public AttributeDefinition? FindAttribute(string name) => AttributeDefinition.Named(Attributes, name);

    /// <summary>The RFC 7643 §7 representation; <paramref name="baseUrl"/> (no trailing slash) fills meta.location.</summary>
    public JsonObject ToJson(string baseUrl) => SchemaJson.Write(this, baseUrl);
}
