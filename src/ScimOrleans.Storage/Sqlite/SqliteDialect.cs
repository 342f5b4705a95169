using System.Text;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// SQLite's JSON1 functions and the registered <see cref="SqliteFunctions.Lower"/>. <c>json_extract</c> already returns
/// typed SQL values (TEXT, INTEGER/REAL, 1/0 for booleans), so no casts are needed.
/// </summary>
internal sealed class SqliteDialect : ISqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public object JsonPath(IReadOnlyList<string> segments)
    {
        var path = new StringBuilder("$");
        foreach (var segment in segments)
        {
            // SQLite's path syntax has no escape for a quote inside a quoted key; SCIM names never contain one.
            if (segment.Contains('"', StringComparison.Ordinal) || segment.Any(char.IsControl))
            {
                throw ScimException.InvalidFilter($"The attribute name '{segment}' is not valid.");
            }

            path.Append(".\"").Append(segment).Append('"');
        }

        return path.ToString();
    }

    public string JsonValue(string json, string pathParameter, AttributeType type) => $"json_extract({json}, {pathParameter})";

    public string JsonPresent(string json, string pathParameter) =>
        $"(COALESCE(json_type({json}, {pathParameter}), 'null') <> 'null' AND " +
        $"(CASE json_type({json}, {pathParameter}) " +
        $"WHEN 'text' THEN json_extract({json}, {pathParameter}) <> '' " +
        $"WHEN 'array' THEN json_array_length({json}, {pathParameter}) > 0 " +
        $"WHEN 'object' THEN json_extract({json}, {pathParameter}) <> '{{}}' " +
        "ELSE 1 END))";

    public string JsonElementsExist(string json, string pathParameter, string alias, bool objectsOnly, string predicate) =>
        $"EXISTS (SELECT 1 FROM json_each({json}, {pathParameter}) AS {alias} WHERE " +
        (objectsOnly ? $"{alias}.type = 'object' AND " : "") + $"{predicate})";

    public string ElementJson(string alias) => alias + ".value";

    public string ElementValue(string alias, AttributeType type) => alias + ".value";

    /// <summary>
    /// Without statistics SQLite's planner joins a recursive walk's step on the primary key's tenant prefix, scanning
    /// every edge of the tenant for each step; the hint makes it a (tenant, member) index lookup.
    /// </summary>
    public string MemberIndexHint => " INDEXED BY ix_memberships_member";

    public string Lower(string expression) => $"{SqliteFunctions.Lower}({expression})";

    public string Contains(string haystack, string needle) => $"instr({haystack}, {needle}) > 0";

    public object BooleanValue(bool value) => value ? 1L : 0L;

    public object TimeValue(long unixMicroseconds) => unixMicroseconds;

    // json_each's key is the array index; json_type tells JSON true apart from the number 1.
    public string FirstElementValue(string json, string pathParameter, string alias, string? subPathParameter, AttributeType type) =>
        subPathParameter is null
            ? $"(SELECT {alias}.value FROM json_each({json}, {pathParameter}) AS {alias} ORDER BY {alias}.key LIMIT 1)"
            : $"(SELECT json_extract({alias}.value, {subPathParameter}) FROM json_each({json}, {pathParameter}) AS {alias} " +
              $"WHERE {alias}.type = 'object' " +
              $"ORDER BY (CASE WHEN json_type({alias}.value, '$.primary') = 'true' THEN 0 ELSE 1 END), {alias}.key LIMIT 1)";
}
