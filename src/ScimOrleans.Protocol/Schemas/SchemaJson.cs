using System.Text.Json.Nodes;

namespace ScimOrleans.Protocol.Schemas;

/// <summary>Writes schema and resource-type definitions in their discovery representation.</summary>
internal static class SchemaJson
{
    public static JsonObject Write(SchemaDefinition schema, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var attributes = new JsonArray();
        foreach (var attribute in schema.Attributes)
        {
            attributes.Add(WriteAttribute(attribute));
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.Schema),
            ["id"] = schema.Id,
            ["name"] = schema.Name,
            ["description"] = schema.Description,
            ["attributes"] = attributes,
            ["meta"] = new JsonObject
            {
                ["resourceType"] = "Schema",
                ["location"] = Trim(baseUrl) + "/Schemas/" + schema.Id,
            },
        };
    }

    public static JsonObject Write(ResourceTypeDefinition resourceType, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        var extensions = new JsonArray();
        foreach (var extension in resourceType.SchemaExtensions)
        {
            extensions.Add(new JsonObject { ["schema"] = extension.Schema, ["required"] = extension.Required });
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.ResourceType),
            ["id"] = resourceType.Name,
            ["name"] = resourceType.Name,
            ["endpoint"] = resourceType.Endpoint,
            ["description"] = resourceType.Description,
            ["schema"] = resourceType.Schema,
            ["schemaExtensions"] = extensions,
            ["meta"] = new JsonObject
            {
                ["resourceType"] = "ResourceType",
                ["location"] = Trim(baseUrl) + "/ResourceTypes/" + resourceType.Name,
            },
        };
    }

    internal static JsonObject WriteAttribute(AttributeDefinition attribute)
    {
        var json = new JsonObject
        {
            ["name"] = attribute.Name,
            ["type"] = TypeName(attribute.Type),
            ["multiValued"] = attribute.MultiValued,
            ["description"] = attribute.Description,
            ["required"] = attribute.Required,
        };
        if (attribute.CanonicalValues.Count > 0)
        {
            json["canonicalValues"] = ToArray(attribute.CanonicalValues);
        }

        json["caseExact"] = attribute.CaseExact;
        json["mutability"] = MutabilityName(attribute.Mutability);
        json["returned"] = ReturnedName(attribute.Returned);
        json["uniqueness"] = UniquenessName(attribute.Uniqueness);
        if (attribute.Type == AttributeType.Reference)
        {
            json["referenceTypes"] = ToArray(attribute.ReferenceTypes.Count > 0 ? attribute.ReferenceTypes : ["external"]);
        }

        if (attribute.Type == AttributeType.Complex)
        {
            var subAttributes = new JsonArray();
            foreach (var sub in attribute.SubAttributes)
            {
                subAttributes.Add(WriteAttribute(sub));
            }

            json["subAttributes"] = subAttributes;
        }

        return json;
    }

    internal static string TypeName(AttributeType type) => type switch
    {
        AttributeType.String => "string",
        AttributeType.Boolean => "boolean",
        AttributeType.Decimal => "decimal",
        AttributeType.Integer => "integer",
        AttributeType.DateTime => "dateTime",
        AttributeType.Binary => "binary",
        AttributeType.Reference => "reference",
        AttributeType.Complex => "complex",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    internal static string MutabilityName(Mutability mutability) => mutability switch
    {
        Mutability.ReadWrite => "readWrite",
        Mutability.ReadOnly => "readOnly",
        Mutability.Immutable => "immutable",
        Mutability.WriteOnly => "writeOnly",
        _ => throw new ArgumentOutOfRangeException(nameof(mutability), mutability, null),
    };

    internal static string ReturnedName(Returned returned) => returned switch
    {
        Returned.Default => "default",
        Returned.Always => "always",
        Returned.Never => "never",
        Returned.Request => "request",
        _ => throw new ArgumentOutOfRangeException(nameof(returned), returned, null),
    };

    internal static string UniquenessName(Uniqueness uniqueness) => uniqueness switch
    {
        Uniqueness.None => "none",
        Uniqueness.Server => "server",
        Uniqueness.Global => "global",
        _ => throw new ArgumentOutOfRangeException(nameof(uniqueness), uniqueness, null),
    };

    private static JsonArray ToArray(IReadOnlyList<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }

    private static string Trim(string baseUrl) => (baseUrl ?? "").TrimEnd('/');
}
