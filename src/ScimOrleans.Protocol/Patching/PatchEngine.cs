using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Patching;

/// <summary>
/// Applies a PatchOp request (RFC 7644 §3.5.2) to a resource's stored attributes, atomically: either every
/// operation applies or a <see cref="Errors.ScimException"/> is thrown and the current resource is untouched.
/// Absorbs the IdP dialects (operation names in any case, string booleans, path-less values with dotted and URN
/// keys, Entra's member removal by value array, manager as a bare string, create-on-absent value-filter paths).
/// </summary>
public static class PatchEngine
{
    public static WriteOutcome Apply(ResourceSchema schema, JsonObject current, JsonObject patchRequest) => throw new NotImplementedException();
}
