using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>Attribute facts taken from the <see cref="ResourceSchema"/> the filter was bound against.</summary>
internal sealed class SchemaAttributeCatalog : IFilterAttributeCatalog
{
    private readonly ResourceSchema _schema;

    public SchemaAttributeCatalog(ResourceSchema schema) => _schema = schema;

    public AttributeShape? Describe(string? schemaUrn, string attribute, JsonValue? literal)
    {
        var resolved = _schema.Resolve(new AttributePath(schemaUrn, attribute, null));
        if (resolved is null)
        {
            return null;
        }

        var definition = resolved.Attribute;
        return new AttributeShape(
            resolved.IsCore ? null : resolved.Schema.Id,
            definition.Name,
            definition.Type,
            definition.MultiValued,
            definition.CaseExact);
    }

    public AttributeShape? DescribeSub(AttributeShape parent, string subAttribute, JsonValue? literal)
    {
        var resolved = _schema.Resolve(new AttributePath(parent.ExtensionUrn, parent.Name, subAttribute));
        if (resolved?.SubAttribute is not { } sub)
        {
            return null;
        }

        return new AttributeShape(parent.ExtensionUrn, sub.Name, sub.Type, sub.MultiValued, sub.CaseExact);
    }
}
