using System.Text.Json.Nodes;

namespace ScimOrleans.Protocol.Resources;

/// <summary>JSON helpers shared by the protocol layer and its hosts.</summary>
public static class ScimJson
{
    /// <summary>Parses a request body that must be a JSON object; throws 400 invalidSyntax otherwise.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8) => throw new NotImplementedException();

    /// <summary>Parses a request body that must be a JSON object; throws 400 invalidSyntax otherwise.</summary>
    public static JsonObject ParseObject(string text) => throw new NotImplementedException();

    /// <summary>Gets a member of an object by name, case-insensitively (RFC 7643 §2.1), exact match preferred.</summary>
    public static JsonNode? GetIgnoreCase(JsonObject obj, string name) => throw new NotImplementedException();
}
