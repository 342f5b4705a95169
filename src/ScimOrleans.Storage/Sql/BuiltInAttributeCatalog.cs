using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// The attribute facts of RFC 7643 core User, Enterprise User and core Group, for queries that come without a
/// <see cref="ResourceSchema"/>. Attributes of other (tenant-registered) extensions are typed from the filter's literal
/// and treated as single-valued, case-insensitive: the best guess without their definition, and exactly what the RFC
/// defaults are. Pass the schema in <see cref="ResourceQuery.Schema"/> to be exact.
/// </summary>
internal sealed class BuiltInAttributeCatalog : IFilterAttributeCatalog
{
    private static readonly Dictionary<string, AttributeShape> UserCore = Build(null,
    [
        Complex("name", multiValued: false),
        Text("nickName"), Text("profileUrl", AttributeType.Reference), Text("title"), Text("userType"),
        Text("preferredLanguage"), Text("locale"), Text("timezone"),
        Complex("emails", multiValued: true), Complex("phoneNumbers", multiValued: true), Complex("ims", multiValued: true),
        Complex("photos", multiValued: true), Complex("addresses", multiValued: true), Complex("entitlements", multiValued: true),
        Complex("roles", multiValued: true), Complex("x509Certificates", multiValued: true),
        new AttributeShape(null, "schemas", AttributeType.Reference, MultiValued: true, CaseExact: true),
    ]);

    private static readonly Dictionary<string, AttributeShape> GroupCore = Build(null,
    [
        new AttributeShape(null, "schemas", AttributeType.Reference, MultiValued: true, CaseExact: true),
    ]);

    private static readonly Dictionary<string, AttributeShape> Enterprise = Build(ScimUris.EnterpriseUser,
    [
        Text("employeeNumber"), Text("costCenter"), Text("organization"), Text("division"), Text("department"),
        Complex("manager", multiValued: false),
    ]);

    private static readonly Dictionary<string, AttributeShape> NameSubs = Build(null,
    [
        Text("formatted"), Text("familyName"), Text("givenName"), Text("middleName"), Text("honorificPrefix"), Text("honorificSuffix"),
    ]);

    private static readonly Dictionary<string, AttributeShape> MultiValuedSubs = Build(null,
    [
        Text("value"), Text("display"), Text("type"), new AttributeShape(null, "primary", AttributeType.Boolean, false, false),
        new AttributeShape(null, "$ref", AttributeType.Reference, false, CaseExact: true),
    ]);

    private static readonly Dictionary<string, AttributeShape> AddressSubs = Build(null,
    [
        Text("formatted"), Text("streetAddress"), Text("locality"), Text("region"), Text("postalCode"), Text("country"),
        Text("type"), new AttributeShape(null, "primary", AttributeType.Boolean, false, false),
    ]);

    private static readonly Dictionary<string, AttributeShape> ManagerSubs = Build(null,
    [
        Text("value"), Text("displayName"), new AttributeShape(null, "$ref", AttributeType.Reference, false, CaseExact: true),
    ]);

    private readonly ResourceKind _kind;

    public BuiltInAttributeCatalog(ResourceKind kind) => _kind = kind;

    public AttributeShape? Describe(string? schemaUrn, string attribute, JsonValue? literal)
    {
        if (schemaUrn is null)
        {
            var core = _kind == ResourceKind.User ? UserCore : GroupCore;
            return core.GetValueOrDefault(attribute);
        }

        if (_kind == ResourceKind.User && string.Equals(schemaUrn, ScimUris.EnterpriseUser, StringComparison.OrdinalIgnoreCase))
        {
            return Enterprise.GetValueOrDefault(attribute);
        }

        // An extension this catalog has no definition of: type it from the literal, RFC defaults otherwise.
        return new AttributeShape(schemaUrn, attribute, InferType(literal), MultiValued: false, CaseExact: false);
    }

    public AttributeShape? DescribeSub(AttributeShape parent, string subAttribute, JsonValue? literal)
    {
        if (parent.Type != AttributeType.Complex)
        {
            return null;
        }

        Dictionary<string, AttributeShape>? subs = (parent.ExtensionUrn, parent.Name) switch
        {
            (null, "name") => NameSubs,
            (null, "addresses") => AddressSubs,
            (null, _) => MultiValuedSubs,
            (ScimUris.EnterpriseUser, "manager") => ManagerSubs,
            _ => null,
        };

        if (subs is null)
        {
            return new AttributeShape(null, subAttribute, InferType(literal), MultiValued: false, CaseExact: false);
        }

        var shape = subs.GetValueOrDefault(subAttribute);
        if (shape is not null && parent.Name == "x509Certificates" && shape.Name == "value")
        {
            // Binary: base64 text, where case carries meaning.
            return shape with { Type = AttributeType.Binary, CaseExact = true };
        }

        return shape;
    }

    private static AttributeType InferType(JsonValue? literal) => literal?.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False => AttributeType.Boolean,
        JsonValueKind.Number => AttributeType.Decimal,
        _ => AttributeType.String,
    };

    private static AttributeShape Text(string name, AttributeType type = AttributeType.String) =>
        new(null, name, type, MultiValued: false, CaseExact: false);

    private static AttributeShape Complex(string name, bool multiValued) =>
        new(null, name, AttributeType.Complex, multiValued, CaseExact: false);

    private static Dictionary<string, AttributeShape> Build(string? urn, AttributeShape[] shapes) =>
        shapes.ToDictionary(s => s.Name, s => s with { ExtensionUrn = urn }, StringComparer.OrdinalIgnoreCase);
}
