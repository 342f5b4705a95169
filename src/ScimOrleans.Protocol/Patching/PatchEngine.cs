using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Patching;

/// <summary>
/// Applies a PatchOp request (RFC 7644 §3.5.2) to a resource's stored attributes, atomically: either every
/// operation applies or a <see cref="Errors.ScimException"/> is thrown and the current resource is untouched.
/// Absorbs the IdP dialects (operation names in any case, string booleans, path-less values with dotted and URN
/// keys, Entra's member removal by value array, manager as a bare string, create-on-absent value-filter paths).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>add</c> sets singular attributes, merges into complex ones and appends to multi-valued ones, skipping
/// values already present. <c>replace</c> with a path replaces the whole attribute (collection or complex object);
/// a path-less <c>replace</c> replaces each named (sub-)attribute individually.</item>
/// <item>replace (or add) with <c>null</c> or <c>""</c> clears an optional singular attribute, and replace with
/// <c>null</c> or <c>[]</c> clears a multi-valued one (an add of nothing changes nothing); clearing a required
/// attribute (<c>userName</c>, <c>displayName</c>) is invalidValue.</item>
/// <item>A value-filter path that matches nothing creates the value when the filter is a conjunction of
/// <c>eq</c> comparisons (<c>emails[type eq "work"].value</c>), else answers noTarget.</item>
/// <item><c>remove</c> of something already absent, or with a filter that matches nothing, succeeds without a
/// change, so IdP retries are idempotent. <c>remove</c> without a path is noTarget.</item>
/// <item>A <c>remove</c> with a <c>value</c> on a multi-valued attribute removes just the listed values.</item>
/// <item>An explicit path to a readOnly attribute is a mutability error; readOnly names inside path-less values are
/// ignored. Unknown paths are invalidPath; unknown names inside path-less values are ignored and reported.</item>
/// <item>Group members are never read from the current resource: member operations accumulate into
/// <see cref="WriteOutcome.Members"/>, where the later operation on a member wins.</item>
/// </list>
/// </remarks>
public static class PatchEngine
{
    public static WriteOutcome Apply(ResourceSchema schema, JsonObject current, JsonObject patchRequest)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(patchRequest);
        var operations = PatchOperation.ReadAll(patchRequest);
        var session = new PatchSession(schema, current);
        for (var i = 0; i < operations.Count; i++)
        {
            try
            {
                session.Apply(operations[i]);
            }
            catch (ScimException ex) when (ex.Status == 400)
            {
                // Name the failing operation: IdP logs show only the detail.
                throw new ScimException(ex.Status, ex.ScimType, $"Operation {i + 1} ({operations[i]}): {ex.Detail}");
            }
        }

        return session.Finish();
    }
}
