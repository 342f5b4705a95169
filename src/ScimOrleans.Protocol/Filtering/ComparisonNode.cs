using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Filtering;

/// <summary><c>attrPath op compValue</c>; <see cref="Value"/> is null for the JSON literal <c>null</c>.</summary>
public sealed record ComparisonNode(AttributePath Path, ComparisonOperator Operator, JsonValue? Value) : FilterNode
{
    /// <summary>Compares <see cref="Value"/> by JSON content, so that two parses of one filter are equal.</summary>
    public bool Equals(ComparisonNode? other) =>
        other is not null
        && Path == other.Path
        && Operator == other.Operator
        && JsonNode.DeepEquals(Value, other.Value);

    // Equal values may be spelled differently (1 and 1.0), so the value contributes only its kind.
    public override int GetHashCode() => HashCode.Combine(Path, Operator, Value?.GetValueKind());
}
