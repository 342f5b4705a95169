using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Resources;

/// <summary>Validates and normalises POST and PUT bodies against a resource schema, absorbing IdP dialects.</summary>
public static class ResourceWriter
{
    /// <summary>Prepares a POST body. Throws <see cref="Errors.ScimException"/> on invalid input.</summary>
    public static WriteOutcome PrepareCreate(ResourceSchema schema, JsonObject body) => throw new NotImplementedException();

    /// <summary>
    /// Prepares a PUT body against the current stored attributes: readOnly attributes are ignored, immutable ones
    /// must match (400 mutability), omitted readWrite attributes are cleared, <c>id</c> is kept from
    /// <paramref name="current"/>. A Group body without <c>members</c> leaves members untouched.
    /// </summary>
    public static WriteOutcome PrepareReplace(ResourceSchema schema, JsonObject current, JsonObject body) => throw new NotImplementedException();
}
