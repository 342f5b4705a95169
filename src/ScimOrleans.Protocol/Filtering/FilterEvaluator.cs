using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Filtering;

/// <summary>
/// Evaluates a bound filter against one resource in memory, with the RFC's typed comparison (caseExact from the
/// schema, booleans, numbers, dateTimes). Used for PATCH value filters and as the reference the SQL translation is
/// tested against.
/// </summary>
public static class FilterEvaluator
{
    public static bool Matches(FilterNode boundFilter, JsonObject resource, ResourceSchema schema) => throw new NotImplementedException();
}
