namespace ScimOrleans.Protocol.Schemas;

/// <summary>
/// The attributes every resource carries (RFC 7643 §3.1). They resolve like core attributes but, following the
/// RFC's own schema listings, are not published in a schema's <c>attributes</c>.
/// </summary>
internal static class CommonAttributes
{
    public static readonly AttributeDefinition Schemas = new()
    {
        Name = "schemas",
        Type = AttributeType.Reference,
        MultiValued = true,
        Required = true,
        CaseExact = true,
        Returned = Returned.Always,
        ReferenceTypes = ["uri"],
        Description = "The schema URNs of this resource.",
    };

    public static readonly AttributeDefinition Id = new()
    {
        Name = "id",
        CaseExact = true,
        Mutability = Mutability.ReadOnly,
        Returned = Returned.Always,
        Uniqueness = Uniqueness.Server,
        Description = "Unique identifier of the resource, assigned by the service provider.",
    };

    public static readonly AttributeDefinition ExternalId = new()
    {
        Name = "externalId",
        CaseExact = true,
        Description = "Identifier of the resource as defined by the provisioning client.",
    };

    public static readonly AttributeDefinition Meta = new()
    {
        Name = "meta",
        Type = AttributeType.Complex,
        Mutability = Mutability.ReadOnly,
        Description = "Resource metadata.",
        SubAttributes =
        [
            new() { Name = "resourceType", CaseExact = true, Mutability = Mutability.ReadOnly, Description = "The resource type name." },
            new() { Name = "created", Type = AttributeType.DateTime, Mutability = Mutability.ReadOnly, Description = "When the resource was added." },
            new() { Name = "lastModified", Type = AttributeType.DateTime, Mutability = Mutability.ReadOnly, Description = "When the resource was last changed." },
            new() { Name = "location", Type = AttributeType.Reference, ReferenceTypes = ["uri"], CaseExact = true, Mutability = Mutability.ReadOnly, Description = "The URI of the resource." },
            new() { Name = "version", CaseExact = true, Mutability = Mutability.ReadOnly, Description = "The version (ETag) of the resource." },
        ],
    };

    public static readonly IReadOnlyList<AttributeDefinition> All = [Schemas, Id, ExternalId, Meta];

    public static AttributeDefinition? Find(string name) =>
        All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
}
