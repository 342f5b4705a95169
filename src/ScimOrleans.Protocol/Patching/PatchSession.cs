using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Patching;

/// <summary>
/// The working state of one PATCH request: a private copy of the resource that operations mutate, and the
/// member and password changes accumulated so far. Nothing outside is touched until <see cref="Finish"/>.
/// </summary>
internal sealed partial class PatchSession
{
    private readonly ResourceSchema _schema;
    private readonly JsonObject _baseline;
    private readonly JsonObject _work;
    private readonly List<string> _ignored = [];
    private readonly ValueNormalizer _normalizer;
    private readonly MemberAccumulator _members = new();
    private string? _newPassword;
    private bool _passwordCleared;

    public PatchSession(ResourceSchema schema, JsonObject current)
    {
        _schema = schema;
        _baseline = (JsonObject)current.DeepClone();
        foreach (var key in _baseline.Select(p => p.Key).Where(k => ResourceRules.IsNeverStored(schema, k)).ToList())
        {
            _baseline.Remove(key);
        }

        _work = (JsonObject)_baseline.DeepClone();
        _normalizer = new ValueNormalizer(_ignored);
    }

    public void Apply(PatchOperation operation)
    {
        if (operation.Path is null)
        {
            if (operation.Kind == PatchOperationKind.Remove)
            {
                throw ScimException.NoTarget("A remove operation needs a 'path'.");
            }

            ApplyPathless(operation.Kind, RequireObject(operation.Value), within: null);
            return;
        }

        var schemaTarget = BodyKeys.AsSchema(_schema, operation.Path.Trim());
        if (schemaTarget is not null)
        {
            ApplyToSchema(operation, schemaTarget);
            return;
        }

        var path = PatchPath.Parse(operation.Path);
        var resolved = _schema.Resolve(path.Attribute)
            ?? throw ScimException.InvalidPath($"The path '{AttributePath.Shorten(operation.Path)}' names an unknown attribute.");
        ApplyTarget(operation.Kind, resolved, path.ValueFilter, path.SubAttribute, operation.Value, explicitPath: true);
    }

    public WriteOutcome Finish()
    {
        ResourceRules.RecomputeSchemas(_schema, _work);
        ResourceRules.CheckImmutable(_schema, _baseline, _work, keepOmitted: false);
        ResourceRules.CheckRequired(_schema, _work);
        CheckPrimaries();
        var changed = !ResourceRules.SameContent(_work, _baseline);
        var members = _members.Touched ? _members.ToChanges() : null;
        return new WriteOutcome(changed ? _work : _baseline, members, _newPassword, _passwordCleared, _ignored, changed);
    }

    /// <summary>A path that is a schema URN addresses all of that schema's attributes at once.</summary>
    private void ApplyToSchema(PatchOperation operation, SchemaDefinition target)
    {
        if (operation.Kind != PatchOperationKind.Remove)
        {
            ApplyPathless(operation.Kind, RequireObject(operation.Value), target);
            return;
        }

        if (ReferenceEquals(target, _schema.Core))
        {
            throw ScimException.InvalidPath("The core schema cannot be removed.");
        }

        ScimJson.RemoveIgnoreCase(_work, target.Id);
    }

    private static JsonObject RequireObject(JsonNode? value) =>
        value as JsonObject
        ?? throw ScimException.InvalidValue("Without a 'path', the 'value' must be a JSON object of attributes.");

    /// <summary>
    /// A path-less add or replace: each member of the value object is applied as if it were the path. Names may be
    /// plain, dotted (<c>name.givenName</c>), URN-qualified or nested extension objects. Unknown names are ignored
    /// and reported; readOnly ones (Okta sends <c>id</c>) are ignored silently.
    /// </summary>
    private void ApplyPathless(PatchOperationKind kind, JsonObject value, SchemaDefinition? within)
    {
        foreach (var (key, child) in value)
        {
            if (string.Equals(key, "schemas", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var display = within is null || ReferenceEquals(within, _schema.Core) ? key : within.Id + ":" + key;
            if (within is null && BodyKeys.AsSchema(_schema, key) is { } nested)
            {
                if (child is JsonObject nestedValue)
                {
                    ApplyPathless(kind, nestedValue, nested);
                }
                else if (child is not null)
                {
                    throw ScimException.InvalidValue($"'{key}' must be a JSON object holding that schema's attributes.");
                }

                continue;
            }

            if (key.Contains('[', StringComparison.Ordinal))
            {
                ApplyFilteredKey(kind, key, display, child, within);
                continue;
            }

            var resolved = BodyKeys.Resolve(_schema, key, within);
            if (resolved is null)
            {
                _ignored.Add(display);
                continue;
            }

            ApplyTarget(kind, resolved, null, null, child, explicitPath: false);
        }
    }

    /// <summary>Some clients flatten value-filter paths into path-less values: <c>{"emails[type eq \"work\"].value": "x"}</c>.</summary>
    private void ApplyFilteredKey(PatchOperationKind kind, string key, string display, JsonNode? child, SchemaDefinition? within)
    {
        PatchPath path;
        try
        {
            path = PatchPath.Parse(key);
        }
        catch (ScimException)
        {
            _ignored.Add(display);
            return;
        }

        var attribute = within is not null && path.Attribute.SchemaUrn is null
            ? path.Attribute with { SchemaUrn = within.Id }
            : path.Attribute;
        var resolved = _schema.Resolve(attribute);
        if (resolved is null)
        {
            _ignored.Add(display);
            return;
        }

        ApplyTarget(kind, resolved, path.ValueFilter, path.SubAttribute, child, explicitPath: false);
    }

    private void ApplyTarget(
        PatchOperationKind kind,
        ResolvedAttribute resolved,
        FilterNode? filter,
        string? filterSubAttribute,
        JsonNode? value,
        bool explicitPath)
    {
        var attribute = resolved.Attribute;
        var sub = resolved.SubAttribute;
        if (filterSubAttribute is not null)
        {
            sub = attribute.FindSubAttribute(filterSubAttribute)
                ?? throw ScimException.InvalidPath($"'{attribute.Name}' has no sub-attribute '{filterSubAttribute}'.");
        }

        var display = ResourceWriter.PathOf(resolved with { SubAttribute = sub });
        if (ReferenceEquals(attribute, CommonAttributes.Schemas))
        {
            return;
        }

        if (ResourceSchema.IsMembers(resolved))
        {
            ApplyMembers(kind, filter, sub, value);
            return;
        }

        if (ResourceRules.IsPassword(resolved))
        {
            ApplyPassword(kind, filter, sub, value);
            return;
        }

        if (attribute.Mutability == Mutability.ReadOnly || sub?.Mutability == Mutability.ReadOnly)
        {
            if (explicitPath)
            {
                throw ScimException.MutabilityViolation($"'{display}' is readOnly and cannot be modified.");
            }

            return;
        }

        if (filter is not null)
        {
            if (attribute.Type != AttributeType.Complex || !attribute.MultiValued)
            {
                throw ScimException.InvalidPath($"'{attribute.Name}' is not a multi-valued complex attribute, so it cannot take a value filter.");
            }

            ApplyFiltered(kind, resolved, filter, sub, value, display);
            return;
        }

        var container = ResourceRules.Container(_work, resolved, create: kind != PatchOperationKind.Remove);
        if (container is null)
        {
            return;
        }

        if (kind == PatchOperationKind.Remove)
        {
            Remove(container, attribute, sub, value, display);
        }
        else if (sub is not null)
        {
            SetSubAttribute(container, attribute, sub, value, display);
        }
        else if (attribute.MultiValued)
        {
            SetMultiValued(kind, container, attribute, value, display);
        }
        else
        {
            var normalized = _normalizer.Normalize(attribute, value, display);
            if (normalized is null)
            {
                // null or "" clears the attribute: Entra's SCIM_Null_Update and manager removal rely on it.
                container.Remove(attribute.Name);
            }
            else if (attribute.Type == AttributeType.Complex
                && value is JsonObject
                && (kind == PatchOperationKind.Add || !explicitPath)
                && container[attribute.Name] is JsonObject existing)
            {
                // add merges sub-attributes (RFC 7644 §3.5.2.1), as does a path-less replace, which names each
                // sub-attribute it means to replace.
                Merge(existing, (JsonObject)normalized);
            }
            else
            {
                container[attribute.Name] = normalized;
            }
        }
    }

    private void SetMultiValued(PatchOperationKind kind, JsonObject container, AttributeDefinition attribute, JsonNode? value, string display)
    {
        var normalized = _normalizer.Normalize(attribute, value, display) as JsonArray;
        if (kind == PatchOperationKind.Replace)
        {
            if (normalized is null)
            {
                container.Remove(attribute.Name);
            }
            else
            {
                container[attribute.Name] = normalized;
            }

            return;
        }

        if (normalized is null)
        {
            return;
        }

        var array = ArrayOf(container, attribute, create: true)!;
        var touched = new List<JsonNode>();
        foreach (var element in normalized.ToList())
        {
            // Re-adding a value that is already there is a no-op (RFC 7644 §3.5.2.1), so lastModified holds still.
            if (element is null || array.Any(existing => JsonNode.DeepEquals(existing, element)))
            {
                continue;
            }

            normalized.Remove(element);
            array.Add(element);
            touched.Add(element);
        }

        FixPrimary(attribute, array, touched, display);
    }

    private void SetSubAttribute(JsonObject container, AttributeDefinition attribute, AttributeDefinition sub, JsonNode? value, string display)
    {
        var normalized = _normalizer.Normalize(sub, value, display);
        if (!attribute.MultiValued)
        {
            var parent = container[attribute.Name] as JsonObject;
            if (normalized is null)
            {
                parent?.Remove(sub.Name);
                if (parent is { Count: 0 })
                {
                    container.Remove(attribute.Name);
                }

                return;
            }

            if (parent is null)
            {
                parent = [];
                container[attribute.Name] = parent;
            }

            parent[sub.Name] = normalized;
            return;
        }

        // A sub-attribute of a multi-valued attribute without a filter addresses every value.
        var array = ArrayOf(container, attribute, create: false);
        if (array is null || array.Count == 0)
        {
            if (normalized is not null)
            {
                container[attribute.Name] = new JsonArray(new JsonObject { [sub.Name] = normalized });
            }

            return;
        }

        foreach (var element in array.OfType<JsonObject>().ToList())
        {
            SetOrRemove(element, sub.Name, normalized);
            if (element.Count == 0)
            {
                array.Remove(element);
            }
        }

        if (array.Count == 0)
        {
            container.Remove(attribute.Name);
        }
    }

    private void Remove(JsonObject container, AttributeDefinition attribute, AttributeDefinition? sub, JsonNode? value, string display)
    {
        if (sub is null)
        {
            if (attribute.MultiValued && value is not null)
            {
                RemoveListedValues(container, attribute, value, display);
            }
            else
            {
                container.Remove(attribute.Name);
            }

            return;
        }

        SetSubAttribute(container, attribute, sub, null, display);
    }

    /// <summary>
    /// A remove with a <c>value</c> on a multi-valued attribute removes just the listed values (the shape Entra
    /// uses for members, applied consistently to every multi-valued attribute). A listed object matches a stored
    /// value when every sub-attribute it gives is equal.
    /// </summary>
    private void RemoveListedValues(JsonObject container, AttributeDefinition attribute, JsonNode value, string display)
    {
        var array = ArrayOf(container, attribute, create: false);
        var listed = _normalizer.Normalize(attribute, value, display) as JsonArray;
        if (array is null || listed is null)
        {
            return;
        }

        foreach (var element in array.ToList())
        {
            if (listed.Any(l => Covers(l, element)))
            {
                array.Remove(element);
            }
        }

        if (array.Count == 0)
        {
            container.Remove(attribute.Name);
        }
    }

    private static bool Covers(JsonNode? listed, JsonNode? stored)
    {
        if (listed is JsonObject pattern && stored is JsonObject obj)
        {
            return pattern.All(p => obj.TryGetPropertyValue(p.Key, out var v) && JsonNode.DeepEquals(v, p.Value));
        }

        return JsonNode.DeepEquals(listed, stored);
    }

    private void CheckPrimaries()
    {
        foreach (var schema in _schema.Extensions.Prepend(_schema.Core))
        {
            var container = ReferenceEquals(schema, _schema.Core) ? _work : ResourceRules.ExtensionObject(_work, schema, create: false);
            if (container is null)
            {
                continue;
            }

            foreach (var attribute in schema.Attributes.Where(a => a.MultiValued))
            {
                if (container[attribute.Name] is JsonArray array)
                {
                    ResourceRules.CheckSinglePrimary(attribute, array, attribute.Name);
                }
            }
        }
    }

    private static JsonArray? ArrayOf(JsonObject container, AttributeDefinition attribute, bool create)
    {
        if (container[attribute.Name] is JsonArray array)
        {
            return array;
        }

        if (!create)
        {
            return null;
        }

        array = [];
        container[attribute.Name] = array;
        return array;
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            target[key] = value?.DeepClone();
        }
    }

    private static void SetOrRemove(JsonObject target, string name, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(name);
        }
        else
        {
            target[name] = value.DeepClone();
        }
    }
}
