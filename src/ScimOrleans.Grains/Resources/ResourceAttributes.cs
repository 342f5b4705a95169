using System.Text.Json.Nodes;

namespace ScimOrleans.Grains.Resources;

/// <summary>The layout of a stored resource's attributes.</summary>
internal static class ResourceAttributes
{
    /// <summary>
    /// Puts <c>schemas</c> first and <c>id</c> second, the order clients expect to read. The protocol layer hands
    /// over a resource it no longer uses, so it is reordered in place and returned.
    /// </summary>
    public static JsonObject WithId(JsonObject resource, string id)
    {
        ArgumentNullException.ThrowIfNull(resource);
        resource.Remove("id");
        var schemas = resource.IndexOf("schemas");
        if (schemas > 0)
        {
            var schemaList = resource.GetAt(schemas).Value;
            resource.RemoveAt(schemas);
            resource.Insert(0, "schemas", schemaList);
        }

        // In place: a second object with every property moved over allocated a whole dictionary per create.
        resource.Insert(schemas >= 0 ? 1 : 0, "id", id);
        return resource;
    }
}
