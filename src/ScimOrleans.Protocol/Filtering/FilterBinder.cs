using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Filtering;

/// <summary>
/// Checks a parsed filter against a resource schema and rewrites its paths to canonical form (schema spelling,
/// URN only for extension attributes, sub-attribute paths inside value filters relative to their parent).
/// Unknown attributes, comparisons on complex attributes without a sub-attribute, and values of the wrong type
/// throw 400 invalidFilter.
/// </summary>
/// <remarks>
/// Values are coerced to the attribute's type: <c>"true"</c>/<c>"false"</c> for booleans, numeric strings for
/// numbers, numbers and booleans to strings for string attributes; dateTime values must parse as ISO 8601 and are
/// rewritten to the stored UTC form. Following the RFC's own example (<c>emails co "example.com"</c>), comparing a
/// multi-valued complex attribute that has a <c>value</c> sub-attribute compares that sub-attribute.
/// </remarks>
public static class FilterBinder
{
    public static FilterNode Bind(FilterNode filter, ResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(schema);
        return BindNode(filter, new ResourceScope(schema));
    }

    /// <summary>
    /// Binds the inside of a value filter (<c>emails[type eq "work"]</c>) against the sub-attributes of
    /// <paramref name="parent"/>: paths come back as bare sub-attribute names.
    /// </summary>
    internal static FilterNode BindValueFilter(FilterNode filter, AttributeDefinition parent) =>
        BindNode(filter, new ElementScope(parent));

    private static FilterNode BindNode(FilterNode node, Scope scope) => node switch
    {
        AndNode and => new AndNode(BindNode(and.Left, scope), BindNode(and.Right, scope)),
        OrNode or => new OrNode(BindNode(or.Left, scope), BindNode(or.Right, scope)),
        NotNode not => new NotNode(BindNode(not.Inner, scope)),
        PresentNode present => BindPresent(present, scope),
        ComparisonNode comparison => BindComparison(comparison, scope),
        ValuePathNode valuePath => BindValuePath(valuePath, scope),
        _ => throw ScimException.InvalidFilter("Unsupported filter expression."),
    };

    private static PresentNode BindPresent(PresentNode node, Scope scope)
    {
        var (path, target) = scope.Resolve(node.Path);
        CheckFilterable(target, node.Path);
        return new PresentNode(path);
    }

    private static ComparisonNode BindComparison(ComparisonNode node, Scope scope)
    {
        var (path, target) = scope.Resolve(node.Path);
        CheckFilterable(target, node.Path);
        if (target.Type == AttributeType.Complex)
        {
            var value = target.MultiValued && path.SubAttribute is null ? target.FindSubAttribute("value") : null;
            if (value is null)
            {
                throw ScimException.InvalidFilter(
                    $"'{node.Path}' is a complex attribute; compare one of its sub-attributes (for example '{node.Path}.{(target.SubAttributes.Count > 0 ? target.SubAttributes[0].Name : "value")}').");
            }

            path = path with { SubAttribute = value.Name };
            target = value;
        }

        return new ComparisonNode(path, node.Operator, CoerceValue(node, target));
    }

    private static ValuePathNode BindValuePath(ValuePathNode node, Scope scope)
    {
        if (scope is ElementScope)
        {
            throw ScimException.InvalidFilter("Value filters cannot be nested.");
        }

        var (path, target) = scope.Resolve(node.Path);
        if (path.SubAttribute is not null || target.Type != AttributeType.Complex)
        {
            throw ScimException.InvalidFilter($"'{node.Path}' is not a complex attribute, so it cannot take a value filter.");
        }

        CheckFilterable(target, node.Path);
        return new ValuePathNode(path, BindNode(node.Filter, new ElementScope(target)));
    }

    private static void CheckFilterable(AttributeDefinition target, AttributePath path)
    {
        if (target.Returned == Returned.Never || target.Mutability == Mutability.WriteOnly)
        {
            throw ScimException.InvalidFilter($"The attribute '{path}' cannot be used in a filter.");
        }
    }

    private static JsonValue? CoerceValue(ComparisonNode node, AttributeDefinition target)
    {
        var op = node.Operator;
        var value = node.Value;
        var name = node.Path.ToString();
        if (value is null)
        {
            if (op is ComparisonOperator.Eq or ComparisonOperator.Ne)
            {
                return null;
            }

            throw ScimException.InvalidFilter($"Operator '{Name(op)}' cannot compare '{name}' with null.");
        }

        var kind = value.GetValueKind();
        switch (target.Type)
        {
            case AttributeType.Boolean:
                if (op is not (ComparisonOperator.Eq or ComparisonOperator.Ne))
                {
                    throw ScimException.InvalidFilter($"Operator '{Name(op)}' is not supported on the boolean attribute '{name}'.");
                }

                if (kind is JsonValueKind.True or JsonValueKind.False)
                {
                    return JsonValue.Create(kind == JsonValueKind.True);
                }

                if (kind == JsonValueKind.String && bool.TryParse(value.GetValue<string>().Trim(), out var flag))
                {
                    return JsonValue.Create(flag);
                }

                throw Mismatch(name, "a boolean", value);

            case AttributeType.Integer:
            case AttributeType.Decimal:
                if (op is ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew)
                {
                    throw ScimException.InvalidFilter($"Operator '{Name(op)}' is not supported on the numeric attribute '{name}'.");
                }

                if (!TryGetNumber(value, kind, out var number))
                {
                    throw Mismatch(name, "a number", value);
                }

                if (target.Type == AttributeType.Integer && number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue)
                {
                    return JsonValue.Create((long)number);
                }

                return JsonValue.Create(number);

            case AttributeType.DateTime:
                if (op is ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew)
                {
                    throw ScimException.InvalidFilter($"Operator '{Name(op)}' is not supported on the dateTime attribute '{name}'.");
                }

                if (kind == JsonValueKind.String && ValueNormalizer.TryNormalizeDateTime(value.GetValue<string>().Trim(), out var instant))
                {
                    return JsonValue.Create(instant);
                }

                throw Mismatch(name, "an ISO 8601 date and time", value);

            case AttributeType.Complex:
                throw ScimException.InvalidFilter($"'{name}' is a complex attribute and cannot be compared.");

            default:
                return kind switch
                {
                    JsonValueKind.String => value,
                    JsonValueKind.Number => JsonValue.Create(value.ToJsonString()),
                    JsonValueKind.True => JsonValue.Create("true"),
                    JsonValueKind.False => JsonValue.Create("false"),
                    _ => throw Mismatch(name, "a string", value),
                };
        }
    }

    private static bool TryGetNumber(JsonValue value, JsonValueKind kind, out decimal number)
    {
        number = 0;
        return kind switch
        {
            JsonValueKind.Number => JsonNumbers.TryGetDecimal(value, out number),
            JsonValueKind.String => decimal.TryParse(
                value.GetValue<string>().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    private static ScimException Mismatch(string name, string expected, JsonValue value) =>
        ScimException.InvalidFilter($"'{name}' must be compared with {expected}; {Shorten(value.ToJsonString())} is not.");

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;

    internal static string Name(ComparisonOperator op) => op.ToString().ToLowerInvariant();

    private abstract class Scope
    {
        /// <summary>Returns the canonical path and the definition it finally points at.</summary>
        public abstract (AttributePath Path, AttributeDefinition Target) Resolve(AttributePath path);
    }

    private sealed class ResourceScope(ResourceSchema schema) : Scope
    {
        public override (AttributePath Path, AttributeDefinition Target) Resolve(AttributePath path)
        {
            var resolved = schema.Resolve(path) ?? throw Unknown(path);
            var canonical = new AttributePath(
                resolved.IsCore ? null : resolved.Schema.Id,
                resolved.Attribute.Name,
                resolved.SubAttribute?.Name);
            return (canonical, resolved.Target);
        }
    }

    private sealed class ElementScope(AttributeDefinition parent) : Scope
    {
        public override (AttributePath Path, AttributeDefinition Target) Resolve(AttributePath path)
        {
            if (path.SchemaUrn is not null || path.SubAttribute is not null)
            {
                throw ScimException.InvalidFilter(
                    $"Inside the value filter of '{parent.Name}', '{path}' must be a plain sub-attribute name.");
            }

            var sub = parent.FindSubAttribute(path.Attribute)
                ?? throw ScimException.InvalidFilter($"unknown attribute '{parent.Name}.{path.Attribute}' in the filter.");
            return (new AttributePath(null, sub.Name, null), sub);
        }
    }

    private static ScimException Unknown(AttributePath path) =>
        ScimException.InvalidFilter($"The filter uses an unknown attribute: unknown attribute '{path}'.");
}
