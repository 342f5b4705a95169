using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Filtering;

/// <summary>
/// Evaluates a bound filter against one resource in memory, with the RFC's typed comparison (caseExact from the
/// schema, booleans, numbers, dateTimes). Used for PATCH value filters and as the reference the SQL translation is
/// tested against.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Strings compare by code point, after <see cref="string.ToLowerInvariant()"/> unless the attribute is caseExact
/// (<c>id</c>, <c>externalId</c>) — exactly what the stores' lower-cased keys give; <c>gt</c>/<c>ge</c>/<c>lt</c>/<c>le</c>
/// on strings are lexical in the same comparison.</item>
/// <item>Numbers compare numerically, dateTimes by instant, booleans only with <c>eq</c>/<c>ne</c>.</item>
/// <item>A multi-valued attribute (or a sub-attribute reached through one) matches when any of its values matches.</item>
/// <item>A missing attribute never satisfies <c>eq</c>, <c>co</c>, <c>sw</c>, <c>ew</c>, <c>gt</c>, <c>ge</c>,
/// <c>lt</c> or <c>le</c>, and always satisfies <c>ne</c>. <c>eq null</c> means "not present", <c>ne null</c> "present".</item>
/// <item><c>pr</c> is true when the attribute has a value that is not null, an empty string, an empty array or an
/// empty object.</item>
/// <item><c>meta.created</c> and <c>meta.lastModified</c> are read from <c>resource["meta"]</c>.</item>
/// </list>
/// </remarks>
public static class FilterEvaluator
{
    public static bool Matches(FilterNode boundFilter, JsonObject resource, ResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(boundFilter);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(schema);
        return Evaluate(boundFilter, new ResourceContext(resource, schema));
    }

    /// <summary>Evaluates the inside of a value filter against one element of the multi-valued <paramref name="parent"/>.</summary>
    internal static bool MatchesElement(FilterNode boundFilter, JsonObject element, AttributeDefinition parent) =>
        Evaluate(boundFilter, new ElementContext(element, parent));

    private static bool Evaluate(FilterNode node, Context context) => node switch
    {
        AndNode and => Evaluate(and.Left, context) && Evaluate(and.Right, context),
        OrNode or => Evaluate(or.Left, context) || Evaluate(or.Right, context),
        NotNode not => !Evaluate(not.Inner, context),
        PresentNode present => context.Values(present.Path, out _).Any(IsPresent),
        ComparisonNode comparison => EvaluateComparison(comparison, context),
        ValuePathNode valuePath => EvaluateValuePath(valuePath, context),
        _ => false,
    };

    private static bool EvaluateComparison(ComparisonNode node, Context context)
    {
        var values = context.Values(node.Path, out var definition).Where(IsPresent).ToList();
        if (node.Value is null)
        {
            return node.Operator switch
            {
                ComparisonOperator.Eq => values.Count == 0,
                ComparisonOperator.Ne => values.Count > 0,
                _ => false,
            };
        }

        if (values.Count == 0)
        {
            return node.Operator == ComparisonOperator.Ne;
        }

        return values.Any(v => Compare(v, node.Operator, node.Value, definition));
    }

    private static bool EvaluateValuePath(ValuePathNode node, Context context)
    {
        if (context is not ResourceContext resourceContext)
        {
            return false;
        }

        var parent = resourceContext.Schema.Resolve(node.Path)?.Target;
        if (parent is null)
        {
            return false;
        }

        foreach (var element in resourceContext.Values(node.Path, out _))
        {
            if (element is JsonObject obj && Evaluate(node.Filter, new ElementContext(obj, parent)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPresent(JsonNode? node) => node switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject obj => obj.Count > 0,
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.Null => false,
            JsonValueKind.String => value.GetValue<string>().Length > 0,
            _ => true,
        },
        _ => false,
    };

    private static bool Compare(JsonNode? stored, ComparisonOperator op, JsonValue filterValue, AttributeDefinition? definition)
    {
        if (stored is not JsonValue storedValue)
        {
            return false;
        }

        var filterKind = filterValue.GetValueKind();
        var type = definition?.Type ?? filterKind switch
        {
            JsonValueKind.True or JsonValueKind.False => AttributeType.Boolean,
            JsonValueKind.Number => AttributeType.Decimal,
            _ => AttributeType.String,
        };

        switch (type)
        {
            case AttributeType.Boolean:
                if (!TryGetBoolean(storedValue, out var storedFlag) || !TryGetBoolean(filterValue, out var filterFlag))
                {
                    return false;
                }

                return op switch
                {
                    ComparisonOperator.Eq => storedFlag == filterFlag,
                    ComparisonOperator.Ne => storedFlag != filterFlag,
                    _ => false,
                };

            case AttributeType.Integer:
            case AttributeType.Decimal:
                if (!TryGetNumber(storedValue, out var storedNumber) || !TryGetNumber(filterValue, out var filterNumber))
                {
                    return false;
                }

                return Ordered(op, storedNumber.CompareTo(filterNumber));

            case AttributeType.DateTime:
                if (!TryGetInstant(storedValue, out var storedInstant) || !TryGetInstant(filterValue, out var filterInstant))
                {
                    return false;
                }

                return Ordered(op, storedInstant.UtcTicks.CompareTo(filterInstant.UtcTicks));

            default:
                if (!TryGetText(storedValue, out var storedText) || !TryGetText(filterValue, out var filterText))
                {
                    return false;
                }

                // Case-insensitive means "equal after ToLowerInvariant", as the stores' lower-cased keys compare;
                // ordering is by code point, as UTF-8 byte order (SQLite) and the C collation (PostgreSQL) give.
                if (definition?.CaseExact != true)
                {
                    storedText = storedText.ToLowerInvariant();
                    filterText = filterText.ToLowerInvariant();
                }

                return op switch
                {
                    ComparisonOperator.Co => storedText.Contains(filterText, StringComparison.Ordinal),
                    ComparisonOperator.Sw => storedText.StartsWith(filterText, StringComparison.Ordinal),
                    ComparisonOperator.Ew => storedText.EndsWith(filterText, StringComparison.Ordinal),
                    _ => Ordered(op, CompareCodePoints(storedText, filterText)),
                };
        }
    }

    /// <summary>Orders by Unicode code point (UTF-16 ordinal order differs for surrogate pairs).</summary>
    private static int CompareCodePoints(string left, string right)
    {
        var a = left.EnumerateRunes();
        var b = right.EnumerateRunes();
        while (true)
        {
            var moreA = a.MoveNext();
            var moreB = b.MoveNext();
            if (!moreA || !moreB)
            {
                return moreA.CompareTo(moreB);
            }

            var order = a.Current.Value.CompareTo(b.Current.Value);
            if (order != 0)
            {
                return order;
            }
        }
    }

    private static bool Ordered(ComparisonOperator op, int order) => op switch
    {
        ComparisonOperator.Eq => order == 0,
        ComparisonOperator.Ne => order != 0,
        ComparisonOperator.Gt => order > 0,
        ComparisonOperator.Ge => order >= 0,
        ComparisonOperator.Lt => order < 0,
        ComparisonOperator.Le => order <= 0,
        _ => false,
    };

    private static bool TryGetBoolean(JsonValue value, out bool result)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                result = true;
                return true;
            case JsonValueKind.False:
                result = false;
                return true;
            case JsonValueKind.String:
                return bool.TryParse(value.GetValue<string>().Trim(), out result);
            default:
                result = false;
                return false;
        }
    }

    private static bool TryGetNumber(JsonValue value, out decimal result)
    {
        result = 0;
        return value.GetValueKind() switch
        {
            JsonValueKind.Number => JsonNumbers.TryGetDecimal(value, out result),
            JsonValueKind.String => decimal.TryParse(value.GetValue<string>().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out result),
            _ => false,
        };
    }

    private static bool TryGetInstant(JsonValue value, out DateTimeOffset result)
    {
        result = default;
        return value.GetValueKind() == JsonValueKind.String && ValueNormalizer.TryParseDateTime(value.GetValue<string>(), out result);
    }

    private static bool TryGetText(JsonValue value, out string result)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                result = value.GetValue<string>();
                return true;
            case JsonValueKind.Number:
                result = value.ToJsonString();
                return true;
            case JsonValueKind.True:
                result = "true";
                return true;
            case JsonValueKind.False:
                result = "false";
                return true;
            default:
                result = "";
                return false;
        }
    }

    /// <summary>Flattens what a path points at into individual values: array elements become separate values.</summary>
    private static IEnumerable<JsonNode?> Flatten(JsonNode? node, string? subAttribute)
    {
        if (node is null)
        {
            yield break;
        }

        if (subAttribute is null)
        {
            if (node is JsonArray array)
            {
                foreach (var element in array)
                {
                    yield return element;
                }
            }
            else
            {
                yield return node;
            }

            yield break;
        }

        IEnumerable<JsonNode?> parents = node is JsonArray parentArray ? parentArray : new[] { node };
        foreach (var parent in parents)
        {
            if (parent is JsonObject obj)
            {
                foreach (var value in Flatten(ScimJson.GetIgnoreCase(obj, subAttribute), null))
                {
                    yield return value;
                }
            }
        }
    }

    private abstract class Context
    {
        public abstract IEnumerable<JsonNode?> Values(AttributePath path, out AttributeDefinition? definition);
    }

    private sealed class ResourceContext(JsonObject resource, ResourceSchema schema) : Context
    {
        public ResourceSchema Schema { get; } = schema;

        public override IEnumerable<JsonNode?> Values(AttributePath path, out AttributeDefinition? definition)
        {
            var resolved = Schema.Resolve(path);
            definition = resolved?.Target;
            var container = resource;
            if (path.SchemaUrn is not null && (resolved is null || !resolved.IsCore))
            {
                container = ScimJson.GetIgnoreCase(resource, resolved?.Schema.Id ?? path.SchemaUrn) as JsonObject;
            }

            if (container is null)
            {
                return [];
            }

            var attribute = resolved?.Attribute.Name ?? path.Attribute;
            var subAttribute = resolved?.SubAttribute?.Name ?? path.SubAttribute;
            return Flatten(ScimJson.GetIgnoreCase(container, attribute), subAttribute);
        }
    }

    private sealed class ElementContext(JsonObject element, AttributeDefinition parent) : Context
    {
        public override IEnumerable<JsonNode?> Values(AttributePath path, out AttributeDefinition? definition)
        {
            var sub = parent.FindSubAttribute(path.Attribute);
            definition = path.SubAttribute is null ? sub : sub?.FindSubAttribute(path.SubAttribute);
            return Flatten(ScimJson.GetIgnoreCase(element, sub?.Name ?? path.Attribute), path.SubAttribute);
        }
    }
}
