using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Projection;

/// <summary>
/// Shapes a full resource (attributes plus <c>meta</c>, <c>members</c> or <c>groups</c> filled in by the caller)
/// for a response, honouring <c>returned</c> (always, never, default, request) and the request's selection.
/// <c>id</c> and <c>schemas</c> are always returned; <c>password</c> never is.
/// </summary>
/// <remarks>
/// The input is never modified; the output is a new object in the input's member order. Members that name no
/// attribute of the schema are not returned. <c>schemas</c> is returned as stored.
/// </remarks>
public static class ResourceProjector
{
    public static JsonObject Project(ResourceSchema schema, JsonObject resource, AttributeSelection selection)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(selection);
        var output = new JsonObject();
        foreach (var (key, value) in resource)
        {
            if (value is null)
            {
                continue;
            }

            var extension = key.Contains(':', StringComparison.Ordinal) ? schema.FindExtension(key) : null;
            if (extension is not null)
            {
                if (value is JsonObject extensionObject)
                {
                    var projected = ProjectAttributes(extensionObject, extension.Id, extension.FindAttribute, selection);
                    if (projected.Count > 0)
                    {
                        output[extension.Id] = projected;
                    }
                }

                continue;
            }

            var resolved = schema.Resolve(new AttributePath(null, key, null));
            if (resolved is null)
            {
                continue;
            }

            var projectedValue = ProjectAttribute(resolved.Attribute, null, value, selection);
            if (projectedValue is not null)
            {
                output[resolved.Attribute.Name] = projectedValue;
            }
        }

        return output;
    }

    private static JsonObject ProjectAttributes(
        JsonObject source,
        string? extensionUrn,
        Func<string, AttributeDefinition?> find,
        AttributeSelection selection)
    {
        var output = new JsonObject();
        foreach (var (key, value) in source)
        {
            var attribute = find(key);
            if (attribute is null || value is null)
            {
                continue;
            }

            var projected = ProjectAttribute(attribute, extensionUrn, value, selection);
            if (projected is not null)
            {
                output[attribute.Name] = projected;
            }
        }

        return output;
    }

    private static JsonNode? ProjectAttribute(AttributeDefinition attribute, string? extensionUrn, JsonNode value, AttributeSelection selection)
    {
        if (!selection.Includes(attribute, extensionUrn))
        {
            return null;
        }

        if (attribute.Type != AttributeType.Complex || attribute.SubAttributes.Count == 0)
        {
            return value.DeepClone();
        }

        switch (value)
        {
            case JsonObject obj:
                return ProjectComplex(attribute, extensionUrn, obj, selection);
            case JsonArray array:
                var result = new JsonArray();
                foreach (var element in array)
                {
                    var projected = element is JsonObject elementObject
                        ? ProjectComplex(attribute, extensionUrn, elementObject, selection)
                        : element?.DeepClone();
                    if (projected is not null)
                    {
                        result.Add(projected);
                    }
                }

                return result.Count == 0 ? null : result;
            default:
                return value.DeepClone();
        }
    }

    private static JsonObject? ProjectComplex(AttributeDefinition attribute, string? extensionUrn, JsonObject value, AttributeSelection selection)
    {
        var output = new JsonObject();
        foreach (var (key, child) in value)
        {
            var sub = attribute.FindSubAttribute(key);
            if (sub is null || child is null || !selection.IncludesSub(attribute, extensionUrn, sub))
            {
                continue;
            }

            output[sub.Name] = child.DeepClone();
        }

        return output.Count == 0 ? null : output;
    }
}
