using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Projection;

/// <summary>
/// Shapes a full resource (attributes plus <c>meta</c>, <c>members</c> or <c>groups</c> filled in by the caller)
/// for a response, honouring <c>returned</c> (always, never, default, request) and the request's selection.
/// <c>id</c> and <c>schemas</c> are always returned; <c>password</c> never is.
/// </summary>
public static class ResourceProjector
{
    public static JsonObject Project(ResourceSchema schema, JsonObject resource, AttributeSelection selection) =>
        throw new NotImplementedException();
}
