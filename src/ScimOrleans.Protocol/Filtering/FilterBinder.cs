using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Filtering;

/// <summary>
/// Checks a parsed filter against a resource schema and rewrites its paths to canonical form (schema spelling,
/// URN only for extension attributes, sub-attribute paths inside value filters relative to their parent).
/// Unknown attributes, comparisons on complex attributes without a sub-attribute, and values of the wrong type
/// throw 400 invalidFilter.
/// </summary>
public static class FilterBinder
{
    public static FilterNode Bind(FilterNode filter, ResourceSchema schema) => throw new NotImplementedException();
}
