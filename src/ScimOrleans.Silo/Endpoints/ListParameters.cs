using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// The parameters of a list query (RFC 7644 §3.4.2, RFC 9865 §2), as given on a GET query string or in a
/// <c>SearchRequest</c> body (§3.4.3). Numbers stay text until the lister parses them, so both sources get the same
/// errors. <see cref="CursorRequested"/> is true when <c>cursor</c> is present at all, even empty (a first cursor page).
/// </summary>
internal sealed record ListParameters(
    string? Filter,
    string? SortBy,
    string? SortOrder,
    string? Attributes,
    string? ExcludedAttributes,
    string? StartIndex,
    string? Count,
    string? Cursor,
    bool CursorRequested)
{
    public static ListParameters FromQuery(IQueryCollection query) => new(
        Text(query["filter"]),
        Text(query["sortBy"]),
        Text(query["sortOrder"]),
        Text(query["attributes"]),
        Text(query["excludedAttributes"]),
        Text(query["startIndex"]),
        Text(query["count"]),
        Text(query["cursor"]),
        query.ContainsKey("cursor"));

    /// <summary>Reads a SearchRequest body; member names are matched case-insensitively, as everywhere in SCIM.</summary>
    public static ListParameters FromSearchRequest(string body)
    {
        var request = ScimJson.ParseObject(body);
        if (Member(request, "schemas") is { } schemas
            && (schemas is not JsonArray list || !list.Any(s => s is JsonValue v && v.GetValueKind() == JsonValueKind.String
                && string.Equals(v.GetValue<string>(), ScimUris.SearchRequest, StringComparison.OrdinalIgnoreCase))))
        {
            throw ScimException.InvalidSyntax($"A search request's schemas must contain '{ScimUris.SearchRequest}'.");
        }

        var cursor = Member(request, "cursor");
        return new ListParameters(
            String(request, "filter"),
            String(request, "sortBy"),
            String(request, "sortOrder"),
            List(request, "attributes"),
            List(request, "excludedAttributes"),
            Integer(request, "startIndex"),
            Integer(request, "count"),
            cursor is null ? null : String(request, "cursor"),
            cursor is not null || request.Any(p => string.Equals(p.Key, "cursor", StringComparison.OrdinalIgnoreCase)));
    }

    private static string? Text(Microsoft.Extensions.Primitives.StringValues value) =>
        value.Count == 0 ? null : value.ToString();

    private static JsonNode? Member(JsonObject request, string name) =>
        request.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? String(JsonObject request, string name) => Member(request, name) switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw ScimException.InvalidSyntax($"'{name}' in a search request must be a string."),
    };

    /// <summary>RFC 7644 gives attributes as an array of strings; a comma-separated string is accepted too.</summary>
    private static string? List(JsonObject request, string name) => Member(request, name) switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray array when array.All(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String) =>
            string.Join(',', array.Select(e => e!.GetValue<string>())),
        _ => throw ScimException.InvalidSyntax($"'{name}' in a search request must be an array of attribute names."),
    };

    private static string? Integer(JsonObject request, string name) => Member(request, name) switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => value.ToJsonString(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw ScimException.InvalidValue($"'{name}' in a search request must be an integer."),
    };

    /// <summary>Parses an integer parameter; null when absent.</summary>
    public static bool TryParseInteger(string? text, out int? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        // Out of int range but still an integer: clamp rather than fail, as RFC 7644 clamps count and startIndex.
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var large))
        {
            value = large < 0 ? int.MinValue : int.MaxValue;
            return true;
        }

        return false;
    }
}
