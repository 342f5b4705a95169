using System.Text.Json.Nodes;

namespace ScimOrleans.Protocol.Schemas;

/// <summary>Writes schema and resource-type definitions in their discovery representation.</summary>
internal static class SchemaJson
{
    public static JsonObject Write(SchemaDefinition schema, string baseUrl) => throw new NotImplementedException();

    public static JsonObject Write(ResourceTypeDefinition resourceType, string baseUrl) => throw new NotImplementedException();
}
