using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// PostgreSQL's jsonb operators for <see cref="QuerySqlTranslator"/>. JSON paths are bound as <c>text[]</c> for
/// <c>#&gt;</c>, so an attribute name is a value, never SQL. Typed reads follow <c>FilterEvaluator</c>: a value of the
/// wrong JSON type reads as NULL (absent) instead of raising a cast error, numbers and booleans may also be given as
/// strings, and a multi-valued attribute holding a single value is one element. Text is compared in the "C" collation
/// and folded with <c>scim_fold</c> (see <c>db/postgresql/scim/001_initial.sql</c>), so results do not depend on the
/// database's locale.
/// </summary>
internal sealed class PostgresDialect : ISqlDialect
{
    /// <summary>A decimal number as <c>decimal.TryParse(NumberStyles.Float)</c> reads it; the exponent is capped so the cast cannot overflow.</summary>
    private const string NumericText = @"'^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]{1,4})?\s*$'";

    public static PostgresDialect Instance { get; } = new();

    public object JsonPath(IReadOnlyList<string> segments)
    {
        // PostgreSQL text cannot hold NUL; refuse control characters as the SQLite dialect does.
        foreach (var segment in segments)
        {
            if (segment.Any(char.IsControl))
            {
                throw ScimException.InvalidFilter($"The attribute name '{segment}' is not valid.");
            }
        }

        return segments.ToArray();
    }

    public string JsonValue(string json, string pathParameter, AttributeType type) => Typed($"({json} #> {pathParameter})", type);

    public string JsonPresent(string json, string pathParameter)
    {
        var value = $"({json} #> {pathParameter})";
        return $"(CASE jsonb_typeof({value}) WHEN 'string' THEN ({value} #>> '{{}}') <> '' " +
            $"WHEN 'array' THEN jsonb_array_length({value}) > 0 WHEN 'object' THEN {value} <> '{{}}'::jsonb " +
            "WHEN 'number' THEN true WHEN 'boolean' THEN true ELSE false END)";
    }

    public string JsonElementsExist(string json, string pathParameter, string alias, bool objectsOnly, string predicate) =>
        $"EXISTS (SELECT 1 FROM jsonb_array_elements({Elements(json, pathParameter)}) AS {alias}(value) WHERE " +
        (objectsOnly ? $"jsonb_typeof({alias}.value) = 'object' AND " : "") + $"{predicate})";

    // WITH ORDINALITY numbers the elements in array order; "primary" must be JSON true, not a truthy string.
    public string FirstElementValue(string json, string pathParameter, string alias, string? subPathParameter, AttributeType type) =>
        subPathParameter is null
            ? $"(SELECT {Typed(alias + ".value", type)} FROM jsonb_array_elements({Elements(json, pathParameter)}) WITH ORDINALITY AS {alias}(value, ord) " +
              $"ORDER BY {alias}.ord LIMIT 1)"
            : $"(SELECT {Typed($"({alias}.value #> {subPathParameter})", type)} " +
              $"FROM jsonb_array_elements({Elements(json, pathParameter)}) WITH ORDINALITY AS {alias}(value, ord) " +
              $"WHERE jsonb_typeof({alias}.value) = 'object' " +
              $"ORDER BY (CASE WHEN {alias}.value -> 'primary' = 'true'::jsonb THEN 0 ELSE 1 END), {alias}.ord LIMIT 1)";

    public string ElementJson(string alias) => alias + ".value";

    public string ElementValue(string alias, AttributeType type) => Typed(alias + ".value", type);

    // The outer "C" keeps ordering comparisons (gt, lt, sortBy) by code point, like every other text here.
    public string Lower(string expression) => $"(lower(({expression}) COLLATE scim_fold) COLLATE \"C\")";

    public string Contains(string haystack, string needle) => $"strpos({haystack}, {needle}) > 0";

    public object BooleanValue(bool value) => value;

    public object TimeValue(long unixMicroseconds) => StoreTime.FromUnixMicroseconds(unixMicroseconds).UtcDateTime;

    /// <summary>The elements of the array at the path: none when absent or null, the value itself when it is not an array.</summary>
    private static string Elements(string json, string pathParameter)
    {
        var value = $"({json} #> {pathParameter})";
        return $"CASE COALESCE(jsonb_typeof({value}), 'null') WHEN 'array' THEN {value} WHEN 'null' THEN '[]'::jsonb " +
            $"ELSE jsonb_build_array({value}) END";
    }

    /// <summary>The jsonb <paramref name="value"/> as an SQL scalar of <paramref name="type"/>, NULL when it has no such reading.</summary>
    private static string Typed(string value, AttributeType type)
    {
        var text = $"({value} #>> '{{}}')";
        return type switch
        {
            AttributeType.Boolean =>
                $"(CASE jsonb_typeof({value}) WHEN 'boolean' THEN {text}::boolean " +
                $"WHEN 'string' THEN (CASE lower(btrim({text})) WHEN 'true' THEN true WHEN 'false' THEN false END) END)",
            AttributeType.Integer or AttributeType.Decimal =>
                $"(CASE jsonb_typeof({value}) WHEN 'number' THEN {text}::numeric " +
                $"WHEN 'string' THEN (CASE WHEN {text} ~ {NumericText} THEN {text}::numeric END) END)",
            _ => $"((CASE WHEN jsonb_typeof({value}) IN ('string', 'number', 'boolean') THEN {text} END) COLLATE \"C\")",
        };
    }
}
