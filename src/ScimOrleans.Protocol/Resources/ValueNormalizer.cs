using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Resources;

/// <summary>
/// Turns a client-supplied value into the stored form of an attribute, absorbing the IdP dialects: string
/// booleans and numbers, scalars for complex attributes with a <c>value</c> sub-attribute (Entra's bare manager
/// id), single values for multi-valued attributes and one-element arrays for singular ones, canonical spelling of
/// canonical values. <c>null</c>, <c>""</c>, empty arrays and empty objects mean "absent" and come back as null.
/// Unknown sub-attributes are dropped and reported; readOnly sub-attributes are dropped silently.
/// </summary>
internal sealed partial class ValueNormalizer(List<string> ignored)
{
    public List<string> Ignored { get; } = ignored;

    /// <summary>Normalises a value of <paramref name="attribute"/>; null means the attribute is absent.</summary>
    public JsonNode? Normalize(AttributeDefinition attribute, JsonNode? value, string path) =>
        attribute.MultiValued ? NormalizeMultiValued(attribute, value, path) : NormalizeSingle(attribute, value, path);

    /// <summary>Normalises one element of the multi-valued <paramref name="attribute"/>; null means "no element".</summary>
    public JsonNode? NormalizeElement(AttributeDefinition attribute, JsonNode? value, string path)
    {
        if (value is JsonArray)
        {
            throw ScimException.InvalidValue($"Each value of '{path}' must be a single value, not an array.");
        }

        return NormalizeScalarOrComplex(attribute, value, path);
    }

    private JsonArray? NormalizeMultiValued(AttributeDefinition attribute, JsonNode? value, string path)
    {
        if (value is null)
        {
            return null;
        }

        var result = new JsonArray();
        IEnumerable<JsonNode?> elements = value is JsonArray array ? array : new[] { value };
        foreach (var element in elements)
        {
            var normalized = NormalizeElement(attribute, element, path);
            // The same value twice carries no information; collapsing it keeps re-adds idempotent.
            if (normalized is not null && !result.Any(existing => JsonNode.DeepEquals(existing, normalized)))
            {
                result.Add(normalized);
            }
        }

        if (result.Count == 0)
        {
            return null;
        }

        ResourceRules.CheckSinglePrimary(attribute, result, path);
        return result;
    }

    private JsonNode? NormalizeSingle(AttributeDefinition attribute, JsonNode? value, string path)
    {
        if (value is JsonArray array)
        {
            switch (array.Count)
            {
                case 0:
                    return null;
                case 1:
                    value = array[0];
                    break;
                default:
                    throw ScimException.InvalidValue($"'{path}' is single-valued but an array of {array.Count} values was given.");
            }

            if (value is JsonArray)
            {
                throw ScimException.InvalidValue($"'{path}' is single-valued but nested arrays were given.");
            }
        }

        return NormalizeScalarOrComplex(attribute, value, path);
    }

    private JsonNode? NormalizeScalarOrComplex(AttributeDefinition attribute, JsonNode? value, string path)
    {
        if (value is null)
        {
            return null;
        }

        if (attribute.Type == AttributeType.Complex)
        {
            return NormalizeComplex(attribute, value, path);
        }

        if (value is not JsonValue scalar)
        {
            throw ScimException.InvalidValue(
                $"'{path}' must be a {SchemaJson.TypeName(attribute.Type)}, not a JSON {(value is JsonObject ? "object" : "array")}.");
        }

        return attribute.Type switch
        {
            AttributeType.Boolean => NormalizeBoolean(scalar, path),
            AttributeType.Integer => NormalizeInteger(scalar, path),
            AttributeType.Decimal => NormalizeDecimal(scalar, path),
            AttributeType.DateTime => NormalizeDateTime(scalar, path),
            _ => NormalizeString(attribute, scalar, path),
        };
    }

    private JsonObject? NormalizeComplex(AttributeDefinition attribute, JsonNode value, string path)
    {
        if (value is JsonValue scalar)
        {
            // Entra sends manager as the bare id; the same shorthand works for any complex type with a "value".
            var valueAttribute = attribute.FindSubAttribute("value");
            if (valueAttribute is null)
            {
                throw ScimException.InvalidValue($"'{path}' must be a JSON object.");
            }

            var normalizedValue = Normalize(valueAttribute, scalar, path + ".value");
            return normalizedValue is null ? null : new JsonObject { [valueAttribute.Name] = normalizedValue };
        }

        if (value is not JsonObject obj)
        {
            throw ScimException.InvalidValue($"'{path}' must be a JSON object.");
        }

        var result = new JsonObject();
        foreach (var (key, child) in obj)
        {
            var sub = attribute.FindSubAttribute(key);
            if (sub is null)
            {
                Ignored.Add(path + "." + key);
                continue;
            }

            if (sub.Mutability == Mutability.ReadOnly)
            {
                continue;
            }

            var normalized = Normalize(sub, child, path + "." + sub.Name);
            if (normalized is null)
            {
                result.Remove(sub.Name);
            }
            else
            {
                result[sub.Name] = normalized;
            }
        }

        return result.Count == 0 ? null : result;
    }

    private static JsonValue? NormalizeBoolean(JsonValue value, string path)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            case JsonValueKind.String:
                var text = value.GetValue<string>().Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                // Entra sends "True"/"False" unless the aadOptscim062020 flag is set.
                if (bool.TryParse(text, out var parsed))
                {
                    return JsonValue.Create(parsed);
                }

                break;
        }

        throw ScimException.InvalidValue($"'{path}' must be a boolean; {Describe(value)} is not.");
    }

    private static JsonValue? NormalizeInteger(JsonValue value, string path)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                if (JsonNumbers.TryGetDecimal(value, out var number) && number == decimal.Truncate(number)
                    && number is >= long.MinValue and <= long.MaxValue)
                {
                    return JsonValue.Create((long)number);
                }

                break;
            case JsonValueKind.String:
                var text = value.GetValue<string>().Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                {
                    return JsonValue.Create(parsed);
                }

                break;
        }

        throw ScimException.InvalidValue($"'{path}' must be an integer; {Describe(value)} is not.");
    }

    private static JsonValue? NormalizeDecimal(JsonValue value, string path)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                if (JsonNumbers.TryGetDecimal(value, out var number))
                {
                    return JsonValue.Create(number);
                }

                break;
            case JsonValueKind.String:
                var text = value.GetValue<string>().Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                {
                    return JsonValue.Create(parsed);
                }

                break;
        }

        throw ScimException.InvalidValue($"'{path}' must be a decimal number; {Describe(value)} is not.");
    }

    private static JsonValue? NormalizeDateTime(JsonValue value, string path)
    {
        if (value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>().Trim();
            if (text.Length == 0)
            {
                return null;
            }

            if (TryNormalizeDateTime(text, out var normalized))
            {
                return JsonValue.Create(normalized);
            }
        }

        throw ScimException.InvalidValue($"'{path}' must be an ISO 8601 date and time; {Describe(value)} is not.");
    }

    private static JsonValue? NormalizeString(AttributeDefinition attribute, JsonValue value, string path)
    {
        string text;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                text = value.GetValue<string>();
                break;
            // Template-driven clients (OneLogin) put numbers and booleans where strings belong.
            case JsonValueKind.Number:
                text = value.ToJsonString();
                break;
            case JsonValueKind.True:
                text = "true";
                break;
            case JsonValueKind.False:
                text = "false";
                break;
            default:
                throw ScimException.InvalidValue($"'{path}' must be a string.");
        }

        if (text.Length == 0)
        {
            return null;
        }

        foreach (var canonical in attribute.CanonicalValues)
        {
            if (string.Equals(canonical, text, StringComparison.OrdinalIgnoreCase))
            {
                return JsonValue.Create(canonical);
            }
        }

        return JsonValue.Create(text);
    }

    /// <summary>Parses an RFC 3339 / ISO 8601 date-time and writes it as UTC without trailing zero fractions.</summary>
    internal static bool TryNormalizeDateTime(string text, out string normalized)
    {
        normalized = "";
        if (!IsoDateTimePattern().IsMatch(text)
            || !DateTimeOffset.TryParse(
                text,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var instant))
        {
            return false;
        }

        normalized = FormatDateTime(instant);
        return true;
    }

    internal static bool TryParseDateTime(string text, out DateTimeOffset instant)
    {
        instant = default;
        return IsoDateTimePattern().IsMatch(text.Trim())
            && DateTimeOffset.TryParse(
                text.Trim(),
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out instant);
    }

    internal static string FormatDateTime(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string Describe(JsonValue value)
    {
        var json = value.ToJsonString();
        return json.Length > 60 ? json[..60] + "…" : json;
    }

    [GeneratedRegex(
        @"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateTimePattern();
}
