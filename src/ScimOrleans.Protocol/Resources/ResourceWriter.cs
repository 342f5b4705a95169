using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Resources;

/// <summary>Validates and normalises POST and PUT bodies against a resource schema, absorbing IdP dialects.</summary>
/// <remarks>
/// Attribute names match case-insensitively; unknown attributes are dropped and reported in
/// <see cref="WriteOutcome.IgnoredAttributes"/>, never rejected; readOnly attributes (<c>id</c>, <c>meta</c>,
/// <c>groups</c>, …) are dropped silently; <c>schemas</c> is recomputed rather than trusted. Extension attributes
/// are accepted nested under their URN or as URN-qualified top-level names, whether or not the client listed the
/// URN in <c>schemas</c>. Values are coerced as described on <see cref="ValueNormalizer"/>.
/// </remarks>
public static class ResourceWriter
{
    /// <summary>Prepares a POST body. Throws <see cref="Errors.ScimException"/> on invalid input.</summary>
    public static WriteOutcome PrepareCreate(ResourceSchema schema, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(body);
        var read = Read(schema, body);
        ResourceRules.CheckRequired(schema, read.Resource);
        var members = IsGroup(schema) ? MemberChangesFor(read, clearExisting: false) ?? MemberChanges.None : null;
        return new WriteOutcome(read.Resource, members, read.Password, PasswordCleared: false, read.Ignored, Changed: true);
    }

    /// <summary>
    /// Prepares a PUT body against the current stored attributes: readOnly attributes are ignored, immutable ones
    /// must match (400 mutability), omitted readWrite attributes are cleared, <c>id</c> is kept from
    /// <paramref name="current"/>. A Group body without <c>members</c> leaves members untouched.
    /// </summary>
    public static WriteOutcome PrepareReplace(ResourceSchema schema, JsonObject current, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(body);
        var read = Read(schema, body);
        var resource = read.Resource;
        if (current.TryGetPropertyValue("id", out var id) && id is not null)
        {
            resource.Insert(1, "id", id.DeepClone());
        }

        ResourceRules.CheckImmutable(schema, current, resource, keepOmitted: true);
        ResourceRules.RecomputeSchemas(schema, resource);
        ResourceRules.CheckRequired(schema, resource);
        var members = IsGroup(schema) ? MemberChangesFor(read, clearExisting: true) : null;
        var changed = !ResourceRules.SameContent(resource, current);
        return new WriteOutcome(resource, members, read.Password, PasswordCleared: false, read.Ignored, changed);
    }

    private static bool IsGroup(ResourceSchema schema) => string.Equals(schema.Core.Id, ScimUris.Group, StringComparison.Ordinal);

    private static MemberChanges? MemberChangesFor(ReadBody read, bool clearExisting) =>
        read.Members is null ? null : new MemberChanges(clearExisting, MemberParser.Parse(read.Members), []);

    /// <summary>Normalises every attribute of the body into a fresh stored document (no id).</summary>
    private static ReadBody Read(ResourceSchema schema, JsonObject body)
    {
        var ignored = new List<string>();
        var normalizer = new ValueNormalizer(ignored);
        var values = new Dictionary<(string Schema, string Attribute), JsonNode?>();
        var read = new ReadBody(new JsonObject(), ignored);

        foreach (var (key, value) in body)
        {
            if (string.Equals(key, "schemas", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var nested = BodyKeys.AsSchema(schema, key);
            if (nested is not null)
            {
                if (value is JsonObject nestedObject)
                {
                    foreach (var (innerKey, innerValue) in nestedObject)
                    {
                        ReadMember(schema, nested, innerKey, nested.Id + ":" + innerKey, innerValue, normalizer, values, read);
                    }
                }
                else if (value is not null)
                {
                    throw ScimException.InvalidValue($"'{key}' must be a JSON object holding that schema's attributes.");
                }

                continue;
            }

            ReadMember(schema, null, key, key, value, normalizer, values, read);
        }

        Assemble(schema, values, read.Resource);
        return read;
    }

    private static void ReadMember(
        ResourceSchema schema,
        SchemaDefinition? within,
        string key,
        string displayKey,
        JsonNode? value,
        ValueNormalizer normalizer,
        Dictionary<(string Schema, string Attribute), JsonNode?> values,
        ReadBody read)
    {
        var (resolved, path) = BodyKeys.ResolveWithPath(schema, key, within);
        if (resolved is null)
        {
            read.Ignored.Add(displayKey);
            return;
        }

        var attribute = resolved.Attribute;
        if (ReferenceEquals(attribute, CommonAttributes.Schemas))
        {
            return;
        }

        if (ResourceSchema.IsMembers(resolved))
        {
            if (resolved.SubAttribute is not null)
            {
                read.Ignored.Add(displayKey);
            }
            else
            {
                read.Members = value;
            }

            return;
        }

        if (ResourceRules.IsPassword(resolved))
        {
            read.Password = ReadPassword(value);
            return;
        }

        if (attribute.Mutability == Mutability.ReadOnly || resolved.SubAttribute?.Mutability == Mutability.ReadOnly)
        {
            return;
        }

        var slot = (resolved.Schema.Id, attribute.Name);
        if (resolved.SubAttribute is null)
        {
            var normalized = normalizer.Normalize(attribute, value, path);
            if (normalized is JsonObject complex && values.GetValueOrDefault(slot) is JsonObject earlier)
            {
                // "name.givenName" and "name" in one body: keep both, the later name winning per sub-attribute.
                foreach (var (subName, subValue) in complex.ToList())
                {
                    complex.Remove(subName);
                    earlier[subName] = subValue;
                }

                return;
            }

            values[slot] = normalized;
            return;
        }

        // A dotted name ("name.givenName") sets one sub-attribute of a singular complex attribute.
        if (attribute.MultiValued)
        {
            read.Ignored.Add(displayKey);
            return;
        }

        var sub = normalizer.Normalize(resolved.SubAttribute, value, path);
        var parent = values.GetValueOrDefault(slot) as JsonObject;
        if (sub is null)
        {
            parent?.Remove(resolved.SubAttribute.Name);
            return;
        }

        if (parent is null)
        {
            parent = [];
            values[slot] = parent;
        }

        parent[resolved.SubAttribute.Name] = sub;
    }

    /// <summary>Lays the normalised values out in schema order: core at top level, extensions under their URN.</summary>
    private static void Assemble(ResourceSchema schema, Dictionary<(string Schema, string Attribute), JsonNode?> values, JsonObject resource)
    {
        var schemas = new JsonArray(schema.Core.Id);
        resource["schemas"] = schemas;
        foreach (var attribute in schema.CoreAttributesWithCommon)
        {
            if (values.GetValueOrDefault((schema.Core.Id, attribute.Name)) is { } value && !IsEmpty(value))
            {
                resource[attribute.Name] = value;
            }
        }

        foreach (var extension in schema.Extensions)
        {
            var obj = new JsonObject();
            foreach (var attribute in extension.Attributes)
            {
                if (values.GetValueOrDefault((extension.Id, attribute.Name)) is { } value && !IsEmpty(value))
                {
                    obj[attribute.Name] = value;
                }
            }

            if (obj.Count > 0)
            {
                schemas.Add(extension.Id);
                resource[extension.Id] = obj;
            }
        }
    }

    private static bool IsEmpty(JsonNode value) => value is JsonObject { Count: 0 } or JsonArray { Count: 0 };

    private static string? ReadPassword(JsonNode? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String)
        {
            var password = scalar.GetValue<string>();
            return password.Length == 0 ? null : password;
        }

        throw ScimException.InvalidValue("'password' must be a string.");
    }

    internal static string PathOf(ResolvedAttribute resolved) =>
        (resolved.IsCore ? "" : resolved.Schema.Id + ":") + resolved.Attribute.Name
        + (resolved.SubAttribute is null ? "" : "." + resolved.SubAttribute.Name);

    private sealed class ReadBody(JsonObject resource, List<string> ignored)
    {
        public JsonObject Resource { get; } = resource;
        public List<string> Ignored { get; } = ignored;
        public JsonNode? Members { get; set; }
        public string? Password { get; set; }
    }
}
