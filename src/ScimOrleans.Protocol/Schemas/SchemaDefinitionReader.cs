using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Schemas;

/// <summary>
/// Reads a schema extension in its RFC 7643 §7 representation (<c>id</c>, <c>name</c>, <c>description</c>,
/// <c>attributes</c> with their characteristics) — the form <c>/Schemas</c> publishes, so a definition read back from
/// there can be registered again. Omitted characteristics take the RFC defaults. Anything the server could not honour
/// is rejected with 400 invalidValue (or invalidSyntax for malformed JSON shapes) rather than silently ignored.
/// </summary>
public static class SchemaDefinitionReader
{
    /// <summary>Most attributes (top level plus sub-attributes) one extension may define.</summary>
    public const int MaxAttributes = 200;

    private static readonly string[] ReservedUrns =
    [
        ScimUris.User, ScimUris.Group, ScimUris.EnterpriseUser, ScimUris.ServiceProviderConfig, ScimUris.ResourceType, ScimUris.Schema,
    ];

    /// <summary>Whether <paramref name="urn"/> can name a tenant's extension: a URN, not one of the built-in schemas or messages.</summary>
    public static bool IsValidExtensionUrn(string? urn, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(urn) || !urn.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) || urn.Length > 300
            || !AttributeNames.IsValidUrn(urn) || urn.IndexOfAny(['/', '?', '#', '%', '\\']) >= 0 || urn.Split(':').Any(p => p.Length == 0))
        {
            error = $"'{urn}' is not a schema URN such as urn:example:params:scim:schemas:extension:acme:2.0:Group.";
            return false;
        }

        if (ReservedUrns.Any(r => string.Equals(r, urn, StringComparison.OrdinalIgnoreCase))
            || urn.StartsWith("urn:ietf:params:scim:api:", StringComparison.OrdinalIgnoreCase))
        {
            error = $"'{urn}' is a schema this server defines itself.";
            return false;
        }

        return true;
    }

    /// <summary>Reads the extension <paramref name="urn"/> from <paramref name="body"/>; <c>id</c>, if present, must be that URN.</summary>
    public static SchemaDefinition Read(string urn, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!IsValidExtensionUrn(urn, out var urnError))
        {
            throw ScimException.InvalidValue(urnError);
        }

        if (OptionalString(body, "id") is { } id && !string.Equals(id, urn, StringComparison.OrdinalIgnoreCase))
        {
            throw ScimException.InvalidValue($"The schema's id '{id}' is not the URN '{urn}' it is registered under.");
        }

        if (Member(body, "attributes") is not JsonArray attributes || attributes.Count == 0)
        {
            throw ScimException.InvalidValue("A schema extension needs a non-empty 'attributes' array.");
        }

        var count = 0;
        var definitions = ReadAttributes(attributes, parent: null, ref count);
        var name = OptionalString(body, "name") ?? urn[(urn.LastIndexOf(':') + 1)..];
        return new SchemaDefinition(urn, name, OptionalString(body, "description") ?? "", definitions);
    }

    private static List<AttributeDefinition> ReadAttributes(JsonArray attributes, AttributeDefinition? parent, ref int count)
    {
        var definitions = new List<AttributeDefinition>(attributes.Count);
        foreach (var node in attributes)
        {
            if (++count > MaxAttributes)
            {
                throw ScimException.InvalidValue($"A schema extension may define at most {MaxAttributes} attributes.");
            }

            if (node is not JsonObject attribute)
            {
                throw ScimException.InvalidSyntax("Each attribute definition must be a JSON object.");
            }

            var definition = ReadAttribute(attribute, parent, ref count);
            if (definitions.Any(d => string.Equals(d.Name, definition.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw ScimException.InvalidValue($"The attribute '{definition.Name}' is defined twice (names are case-insensitive).");
            }

            definitions.Add(definition);
        }

        return definitions;
    }

    private static AttributeDefinition ReadAttribute(JsonObject attribute, AttributeDefinition? parent, ref int count)
    {
        var name = OptionalString(attribute, "name") ?? throw ScimException.InvalidValue("Every attribute definition needs a 'name'.");
        var where = parent is null ? $"'{name}'" : $"'{parent.Name}.{name}'";
        if (!AttributeNames.IsValid(name) || name == "$ref")
        {
            throw ScimException.InvalidValue($"{where} is not an attribute name: a letter, then letters, digits, '-' or '_'.");
        }

        var type = Keyword(attribute, "type", where, AttributeType.String, new Dictionary<string, AttributeType>
        {
            ["string"] = AttributeType.String,
            ["boolean"] = AttributeType.Boolean,
            ["decimal"] = AttributeType.Decimal,
            ["integer"] = AttributeType.Integer,
            ["dateTime"] = AttributeType.DateTime,
            ["binary"] = AttributeType.Binary,
            ["reference"] = AttributeType.Reference,
            ["complex"] = AttributeType.Complex,
        });
        var mutability = Keyword(attribute, "mutability", where, Mutability.ReadWrite, new Dictionary<string, Mutability>
        {
            ["readOnly"] = Mutability.ReadOnly,
            ["readWrite"] = Mutability.ReadWrite,
            ["immutable"] = Mutability.Immutable,
            ["writeOnly"] = Mutability.WriteOnly,
        });
        var returned = Keyword(attribute, "returned", where, Returned.Default, new Dictionary<string, Returned>
        {
            ["always"] = Returned.Always,
            ["never"] = Returned.Never,
            ["default"] = Returned.Default,
            ["request"] = Returned.Request,
        });
        var uniqueness = Keyword(attribute, "uniqueness", where, Uniqueness.None, new Dictionary<string, Uniqueness>
        {
            ["none"] = Uniqueness.None,
            ["server"] = Uniqueness.Server,
            ["global"] = Uniqueness.Global,
        });
        if (uniqueness != Uniqueness.None)
        {
            // Uniqueness is enforced by database indexes on a few core attributes only; advertising more would lie.
            throw ScimException.InvalidValue($"{where}: uniqueness '{SchemaJson.UniquenessName(uniqueness)}' is not supported on extension attributes; use 'none'.");
        }

        if (mutability == Mutability.WriteOnly && returned != Returned.Never)
        {
            throw ScimException.InvalidValue($"{where}: a writeOnly attribute must be returned 'never'.");
        }

        var definition = new AttributeDefinition
        {
            Name = name,
            Type = type,
            MultiValued = OptionalBoolean(attribute, "multiValued", where),
            Required = OptionalBoolean(attribute, "required", where),
            CaseExact = OptionalBoolean(attribute, "caseExact", where),
            Mutability = mutability,
            Returned = returned,
            Uniqueness = uniqueness,
            Description = OptionalString(attribute, "description") ?? "",
            CanonicalValues = StringList(attribute, "canonicalValues", where),
            ReferenceTypes = StringList(attribute, "referenceTypes", where),
        };

        var subAttributes = Member(attribute, "subAttributes");
        if (type != AttributeType.Complex)
        {
            return subAttributes is null or JsonArray { Count: 0 }
                ? definition
                : throw ScimException.InvalidValue($"{where} has subAttributes but is not of type complex.");
        }

        if (parent is not null)
        {
            throw ScimException.InvalidValue($"{where}: a sub-attribute cannot be complex (RFC 7643 §2.3.8).");
        }

        if (subAttributes is not JsonArray { Count: > 0 } subs)
        {
            throw ScimException.InvalidValue($"{where} is complex and needs a non-empty 'subAttributes' array.");
        }

        return definition with { SubAttributes = ReadAttributes(subs, definition, ref count) };
    }

    private static T Keyword<T>(JsonObject attribute, string member, string where, T fallback, Dictionary<string, T> values)
    {
        var text = OptionalString(attribute, member);
        if (text is null)
        {
            return fallback;
        }

        foreach (var (keyword, value) in values)
        {
            if (string.Equals(keyword, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        throw ScimException.InvalidValue($"{where}: {member} '{text}' is not one of {string.Join(", ", values.Keys)}.");
    }

    private static bool OptionalBoolean(JsonObject obj, string member, string where) => Member(obj, member) switch
    {
        null => false,
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
        _ => throw ScimException.InvalidValue($"{where}: '{member}' must be true or false."),
    };

    private static List<string> StringList(JsonObject obj, string member, string where) => Member(obj, member) switch
    {
        null => [],
        JsonArray array when array.All(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String) =>
            [.. array.Select(e => e!.GetValue<string>())],
        _ => throw ScimException.InvalidValue($"{where}: '{member}' must be an array of strings."),
    };

    private static string? OptionalString(JsonObject obj, string member) => Member(obj, member) switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw ScimException.InvalidValue($"'{member}' must be a string."),
    };

    private static JsonNode? Member(JsonObject obj, string name) =>
        obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
