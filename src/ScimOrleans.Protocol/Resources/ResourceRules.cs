using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Resources;

/// <summary>Rules about whole stored documents shared by the create, replace and patch paths.</summary>
internal static class ResourceRules
{
    /// <summary>Attribute names never kept in the stored document (server-managed or stored elsewhere).</summary>
    public static bool IsNeverStored(ResourceSchema schema, string key)
    {
        if (string.Equals(key, "meta", StringComparison.OrdinalIgnoreCase)
            || string.Equals(key, "password", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var coreId = schema.Core.Id;
        return (string.Equals(coreId, ScimUris.User, StringComparison.Ordinal) && string.Equals(key, "groups", StringComparison.OrdinalIgnoreCase))
            || (string.Equals(coreId, ScimUris.Group, StringComparison.Ordinal) && string.Equals(key, "members", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether <paramref name="resolved"/> is the User password, which is hashed and stored apart.</summary>
    public static bool IsPassword(ResolvedAttribute resolved) =>
        resolved.IsCore
        && string.Equals(resolved.Attribute.Name, "password", StringComparison.Ordinal)
        && resolved.Attribute.Mutability == Mutability.WriteOnly;

    /// <summary>RFC 7643 §2.4: at most one value of a multi-valued attribute may have <c>primary</c> true.</summary>
    public static void CheckSinglePrimary(AttributeDefinition attribute, JsonArray values, string path)
    {
        if (attribute.Type != AttributeType.Complex || attribute.FindSubAttribute("primary") is null)
        {
            return;
        }

        if (values.Count(IsPrimary) > 1)
        {
            throw ScimException.InvalidValue($"At most one value of '{path}' may have primary set to true.");
        }
    }

    public static bool IsPrimary(JsonNode? element) =>
        element is JsonObject obj
        && obj.TryGetPropertyValue("primary", out var primary)
        && primary is JsonValue value
        && value.GetValueKind() == JsonValueKind.True;

    /// <summary>Finds the object holding an extension's attributes without modifying <paramref name="resource"/>.</summary>
    public static JsonObject? FindExtensionObject(JsonObject resource, SchemaDefinition extension) =>
        ScimJson.GetIgnoreCase(resource, extension.Id) as JsonObject;

    /// <summary>
    /// Gets the object holding an extension's attributes, optionally creating it, and moves it under the
    /// canonical URN; only for documents this library owns.
    /// </summary>
    public static JsonObject? ExtensionObject(JsonObject resource, SchemaDefinition extension, bool create)
    {
        if (ScimJson.TryGetIgnoreCase(resource, extension.Id, out var actual, out var node) && node is JsonObject obj)
        {
            if (!string.Equals(actual, extension.Id, StringComparison.Ordinal))
            {
                // Store under the canonical URN so later lookups can be exact.
                resource.Remove(actual);
                resource[extension.Id] = obj;
            }

            return obj;
        }

        if (!create)
        {
            return null;
        }

        var created = new JsonObject();
        resource[extension.Id] = created;
        return created;
    }

    /// <summary>The object an attribute lives in: the resource itself for core attributes, else the extension's object.</summary>
    public static JsonObject? Container(JsonObject resource, ResolvedAttribute resolved, bool create) =>
        resolved.IsCore ? resource : ExtensionObject(resource, resolved.Schema, create);

    /// <summary>
    /// Drops empty extension objects and rewrites <c>schemas</c>: the core URN, then each extension that has at
    /// least one attribute.
    /// </summary>
    public static void RecomputeSchemas(ResourceSchema schema, JsonObject resource)
    {
        var schemas = new JsonArray(schema.Core.Id);
        foreach (var extension in schema.Extensions)
        {
            var obj = ExtensionObject(resource, extension, create: false);
            if (obj is null)
            {
                continue;
            }

            if (obj.Count == 0)
            {
                resource.Remove(extension.Id);
            }
            else
            {
                schemas.Add(extension.Id);
            }
        }

        ScimJson.RemoveIgnoreCase(resource, "schemas");
        // "schemas" first reads naturally in stored documents and responses.
        resource.Insert(0, "schemas", schemas);
    }

    /// <summary>Throws invalidValue when a required attribute of the core schema or of a present extension is missing.</summary>
    public static void CheckRequired(ResourceSchema schema, JsonObject resource)
    {
        foreach (var attribute in schema.Core.Attributes)
        {
            if (attribute.Required && attribute.Mutability != Mutability.ReadOnly && IsMissing(resource, attribute.Name))
            {
                throw ScimException.InvalidValue($"The attribute '{attribute.Name}' is required.");
            }
        }

        foreach (var extension in schema.Extensions)
        {
            var required = schema.ResourceType.SchemaExtensions.Any(
                e => e.Required && string.Equals(e.Schema, extension.Id, StringComparison.OrdinalIgnoreCase));
            var obj = FindExtensionObject(resource, extension);
            if (obj is null && !required)
            {
                continue;
            }

            foreach (var attribute in extension.Attributes)
            {
                if (attribute.Required && attribute.Mutability != Mutability.ReadOnly && (obj is null || IsMissing(obj, attribute.Name)))
                {
                    throw ScimException.InvalidValue($"The attribute '{extension.Id}:{attribute.Name}' is required.");
                }
            }
        }
    }

    /// <summary>
    /// Throws mutability when an immutable attribute (or an immutable sub-attribute of a singular complex
    /// attribute) that had a value in <paramref name="before"/> has a different one in <paramref name="after"/>.
    /// With <paramref name="keepOmitted"/>, a value missing from <paramref name="after"/> is restored instead (PUT).
    /// </summary>
    public static void CheckImmutable(ResourceSchema schema, JsonObject before, JsonObject after, bool keepOmitted)
    {
        CheckImmutable(schema.CoreAttributesWithCommon, before, after, keepOmitted, "");
        foreach (var extension in schema.Extensions)
        {
            if (!extension.Attributes.Any(HasImmutable))
            {
                continue;
            }

            var oldObj = FindExtensionObject(before, extension);
            if (oldObj is null)
            {
                continue;
            }

            var newObj = ExtensionObject(after, extension, create: keepOmitted);
            CheckImmutable(extension.Attributes, oldObj, newObj ?? [], keepOmitted, extension.Id + ":");
        }
    }

    private static bool HasImmutable(AttributeDefinition attribute) =>
        attribute.Mutability == Mutability.Immutable
        || (!attribute.MultiValued && attribute.SubAttributes.Any(s => s.Mutability == Mutability.Immutable));

    private static void CheckImmutable(
        IEnumerable<AttributeDefinition> attributes,
        JsonObject before,
        JsonObject after,
        bool keepOmitted,
        string prefix)
    {
        foreach (var attribute in attributes)
        {
            if (!HasImmutable(attribute) || !before.TryGetPropertyValue(attribute.Name, out var oldValue) || oldValue is null)
            {
                continue;
            }

            after.TryGetPropertyValue(attribute.Name, out var newValue);
            if (attribute.Mutability == Mutability.Immutable)
            {
                if (newValue is null && keepOmitted)
                {
                    after[attribute.Name] = oldValue.DeepClone();
                }
                else if (!JsonNode.DeepEquals(oldValue, newValue))
                {
                    throw ScimException.MutabilityViolation($"The attribute '{prefix}{attribute.Name}' is immutable and already has a value.");
                }

                continue;
            }

            if (oldValue is not JsonObject oldObj)
            {
                continue;
            }

            foreach (var sub in attribute.SubAttributes.Where(s => s.Mutability == Mutability.Immutable))
            {
                if (!oldObj.TryGetPropertyValue(sub.Name, out var oldSub) || oldSub is null)
                {
                    continue;
                }

                var newObj = newValue as JsonObject;
                JsonNode? newSub = null;
                newObj?.TryGetPropertyValue(sub.Name, out newSub);
                if (newSub is null && keepOmitted)
                {
                    if (newObj is null)
                    {
                        newObj = [];
                        after[attribute.Name] = newObj;
                    }

                    newObj[sub.Name] = oldSub.DeepClone();
                }
                else if (!JsonNode.DeepEquals(oldSub, newSub))
                {
                    throw ScimException.MutabilityViolation(
                        $"The attribute '{prefix}{attribute.Name}.{sub.Name}' is immutable and already has a value.");
                }
            }
        }
    }

    /// <summary>Deep comparison ignoring property order and the recomputed <c>schemas</c>.</summary>
    public static bool SameContent(JsonObject a, JsonObject b)
    {
        static int CountWithoutSchemas(JsonObject o) => o.Count(p => !string.Equals(p.Key, "schemas", StringComparison.Ordinal) && p.Value is not null);

        if (CountWithoutSchemas(a) != CountWithoutSchemas(b))
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (string.Equals(key, "schemas", StringComparison.Ordinal) || value is null)
            {
                continue;
            }

            if (!b.TryGetPropertyValue(key, out var other) || !JsonNode.DeepEquals(value, other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMissing(JsonObject obj, string name) =>
        !obj.TryGetPropertyValue(name, out var value)
        || value is null
        || (value is JsonArray array && array.Count == 0)
        || (value is JsonObject o && o.Count == 0)
        || (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0);
}
