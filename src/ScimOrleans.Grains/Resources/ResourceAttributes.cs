using System.Text.Json.Nodes;

namespace ScimOrleans.Grains.Resources;

/// <summary>The layout of a stored resource's attributes.</summary>
internal static class ResourceAttributes
{
    /// <summary>
    /// Puts <c>schemas</c> first and <c>id</c> second, the order clients expect to read. The protocol layer hands
    /// over a resource it no longer uses, so its nodes are moved, not deep-cloned.
    /// </summary>
    public static JsonObject WithId(JsonObject resource, string id)
    {
        var properties = resource.ToList();
        resource.Clear();
        var ordered = new JsonObject();
        if (properties.Find(p => p.Key == "schemas").Value is { } schemaList)
        {
            ordered["schemas"] = schemaList;
        }

        ordered["id"] = id;
        foreach (var (name, value) in properties)
        {
            if (name is not "schemas" and not "id")
            {
                ordered[name] = value;
            }
        }

        return ordered;
    }
}
