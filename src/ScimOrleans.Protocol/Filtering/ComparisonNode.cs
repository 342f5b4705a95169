using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Filtering;

/// <summary><c>attrPath op compValue</c>; <see cref="Value"/> is null for the JSON literal <c>null</c>.</summary>
public sealed record ComparisonNode(AttributePath Path, ComparisonOperator Operator, JsonValue? Value) : FilterNode;
