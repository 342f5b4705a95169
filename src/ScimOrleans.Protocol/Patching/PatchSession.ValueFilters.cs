using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Patching;

/// <summary>Operations whose path carries a value filter: <c>emails[type eq "work"].value</c>.</summary>
internal sealed partial class PatchSession
{
    private void ApplyFiltered(
        PatchOperationKind kind,
        ResolvedAttribute resolved,
        FilterNode filter,
        AttributeDefinition? sub,
        JsonNode? value,
        string display)
    {
        var attribute = resolved.Attribute;
        var bound = FilterBinder.BindValueFilter(filter, attribute);
        var container = ResourceRules.Container(_work, resolved, create: kind != PatchOperationKind.Remove);
        var array = container is null ? null : ArrayOf(container, attribute, create: false);
        var matches = array?.OfType<JsonObject>().Where(e => FilterEvaluator.MatchesElement(bound, e, attribute)).ToList() ?? [];

        if (kind == PatchOperationKind.Remove)
        {
            // Removing something already gone succeeds: IdPs retry, and the end state is what they asked for.
            foreach (var match in matches)
            {
                if (sub is not null)
                {
                    match.Remove(sub.Name);
                }

                if (sub is null || match.Count == 0)
                {
                    array!.Remove(match);
                }
            }

            if (array is { Count: 0 })
            {
                container!.Remove(attribute.Name);
            }

            return;
        }

        JsonObject? patch;
        if (sub is not null)
        {
            var normalizedSub = _normalizer.Normalize(sub, value, display);
            patch = normalizedSub is null ? null : new JsonObject { [sub.Name] = normalizedSub };
        }
        else
        {
            if (value is JsonArray { Count: 1 } single)
            {
                value = single[0];
            }

            patch = _normalizer.NormalizeElement(attribute, value, display) as JsonObject;
        }

        if (matches.Count == 0)
        {
            if (patch is null)
            {
                return;
            }

            // Entra expects add/replace on emails[type eq "work"].value to create the work email when missing.
            var created = EqualityTemplate(bound, attribute)
                ?? throw ScimException.NoTarget($"No value of '{attribute.Name}' matches the filter [{filter}].");
            Merge(created, patch);
            array ??= ArrayOf(container!, attribute, create: true)!;
            array.Add(created);
            FixPrimary(attribute, array, [created], display);
            return;
        }

        foreach (var match in matches)
        {
            if (patch is null)
            {
                if (sub is not null)
                {
                    match.Remove(sub.Name);
                }

                if (sub is null || match.Count == 0)
                {
                    array!.Remove(match);
                }
            }
            else
            {
                Merge(match, patch);
            }
        }

        if (array is { Count: 0 })
        {
            container!.Remove(attribute.Name);
        }
        else if (patch is not null)
        {
            FixPrimary(attribute, array!, [.. matches], display);
        }
    }

    /// <summary>
    /// The element a value filter describes when it is a conjunction of <c>eq</c> comparisons on simple
    /// sub-attributes (<c>type eq "work"</c>); null for any other filter.
    /// </summary>
    private JsonObject? EqualityTemplate(FilterNode bound, AttributeDefinition attribute)
    {
        var template = new JsonObject();
        return Collect(bound) && template.Count > 0 ? template : null;

        bool Collect(FilterNode node)
        {
            switch (node)
            {
                case AndNode and:
                    return Collect(and.Left) && Collect(and.Right);
                case ComparisonNode { Operator: ComparisonOperator.Eq, Value: not null } comparison:
                    var sub = attribute.FindSubAttribute(comparison.Path.Attribute);
                    if (sub is null || sub.Type == AttributeType.Complex || sub.MultiValued || sub.Mutability == Mutability.ReadOnly)
                    {
                        return false;
                    }

                    var value = _normalizer.Normalize(sub, comparison.Value.DeepClone(), attribute.Name + "." + sub.Name);
                    if (value is not null)
                    {
                        template[sub.Name] = value;
                    }

                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>RFC 7644 §3.5.2: making one value primary makes the others non-primary.</summary>
    private static void FixPrimary(AttributeDefinition attribute, JsonArray array, IReadOnlyList<JsonNode> touched, string display)
    {
        if (attribute.FindSubAttribute("primary") is null)
        {
            return;
        }

        var primaries = touched.Where(ResourceRules.IsPrimary).ToList();
        if (primaries.Count > 1)
        {
            throw ScimException.InvalidValue($"At most one value of '{display}' may have primary set to true.");
        }

        if (primaries.Count == 0)
        {
            return;
        }

        foreach (var element in array.OfType<JsonObject>())
        {
            if (!ReferenceEquals(element, primaries[0]) && ResourceRules.IsPrimary(element))
            {
                element["primary"] = false;
            }
        }
    }
}
