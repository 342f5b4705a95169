using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// The engine-specific pieces of the filter and sort translation: how JSON is read, how text is folded and how
/// typed values are passed. Everything else in <see cref="QuerySqlTranslator"/> is plain SQL both engines accept.
/// </summary>
internal interface ISqlDialect
{
    /// <summary>The parameter value that addresses <paramref name="segments"/> (object keys) inside a JSON document.</summary>
    object JsonPath(IReadOnlyList<string> segments);

    /// <summary>The scalar at <paramref name="pathParameter"/> in <paramref name="json"/>, typed for comparison; NULL when absent.</summary>
    string JsonValue(string json, string pathParameter, AttributeType type);

    /// <summary>A never-NULL predicate: the value at the path is present in the RFC 7644 <c>pr</c> sense (non-null, non-empty).</summary>
    string JsonPresent(string json, string pathParameter);

    /// <summary>
    /// <c>EXISTS</c> over the elements of the array at the path, each bound to <paramref name="alias"/>.
    /// <paramref name="objectsOnly"/> skips elements that are not objects (complex multi-valued attributes).
    /// </summary>
    string JsonElementsExist(string json, string pathParameter, string alias, bool objectsOnly, string predicate);

    /// <summary>The JSON document of the current element of <see cref="JsonElementsExist"/>.</summary>
    string ElementJson(string alias);

    /// <summary>The current element of <see cref="JsonElementsExist"/> as a typed scalar (simple multi-valued attributes).</summary>
    string ElementValue(string alias, AttributeType type);

    /// <summary>Unicode lower-casing that matches <see cref="string.ToLowerInvariant()"/>, which computes the stored keys.</summary>
    string Lower(string expression);

    /// <summary>A never-NULL-when-inputs-are-non-NULL predicate: <paramref name="haystack"/> contains <paramref name="needle"/>, exactly.</summary>
    string Contains(string haystack, string needle);

    /// <summary>The value a boolean column or JSON boolean compares equal to.</summary>
    object BooleanValue(bool value);

    /// <summary>
    /// Written after <c>memberships alias</c> where a walk up the edges joins on <c>member_id</c>: whatever makes the engine
    /// use the (tenant, member) index there. Empty by default.
    /// </summary>
    string MemberIndexHint => "";

    /// <summary>The value a time column compares against, for UTC microseconds since the Unix epoch.</summary>
    object TimeValue(long unixMicroseconds);

    /// <summary>
    /// A scalar subquery: the primary value of the array at the path (RFC 7644 §3.4.2.3), NULL when there is none.
    /// With <paramref name="subPathParameter"/>: among the elements that are objects, the first whose <c>primary</c> is
    /// JSON true, else the first, and its value at the sub-path. Without: the first element itself. "First" is array
    /// order. Typed like <see cref="JsonValue"/>.
    /// </summary>
    /// <remarks>
    /// The default rejects the sort, so an engine that has not implemented it fails with a clear 400 rather than sorting
    /// differently from the others.
    /// </remarks>
    string FirstElementValue(string json, string pathParameter, string alias, string? subPathParameter, AttributeType type) =>
        throw ScimException.InvalidValue("Sorting by a multi-valued attribute is not supported by this store.");
}
