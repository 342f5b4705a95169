using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScimOrleans.Protocol.Filtering;

/// <summary>Writes a filter back in RFC 7644 syntax, for error details and logs; the output parses to the same tree.</summary>
internal static class FilterFormatter
{
    private static readonly JsonSerializerOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(FilterNode node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, FilterNode node)
    {
        switch (node)
        {
            case ComparisonNode comparison:
                builder.Append(comparison.Path).Append(' ')
                    .Append(FilterBinder.Name(comparison.Operator)).Append(' ')
                    .Append(comparison.Value?.ToJsonString(s_options) ?? "null");
                break;
            case PresentNode present:
                builder.Append(present.Path).Append(" pr");
                break;
            case AndNode and:
                WriteOperand(builder, and.Left, and);
                builder.Append(" and ");
                WriteOperand(builder, and.Right, and);
                break;
            case OrNode or:
                WriteOperand(builder, or.Left, or);
                builder.Append(" or ");
                WriteOperand(builder, or.Right, or);
                break;
            case NotNode not:
                builder.Append("not (");
                Write(builder, not.Inner);
                builder.Append(')');
                break;
            case ValuePathNode valuePath:
                builder.Append(valuePath.Path).Append('[');
                Write(builder, valuePath.Filter);
                builder.Append(']');
                break;
        }
    }

    /// <summary>Parenthesises an operand that binds more loosely than its parent, or that would re-associate.</summary>
    private static void WriteOperand(StringBuilder builder, FilterNode operand, FilterNode parent)
    {
        var needsParentheses = (parent is AndNode && operand is OrNode)
            || (ReferenceEquals(operand, (parent as AndNode)?.Right) && operand is AndNode)
            || (ReferenceEquals(operand, (parent as OrNode)?.Right) && operand is OrNode);
        if (needsParentheses)
        {
            builder.Append('(');
        }

        Write(builder, operand);
        if (needsParentheses)
        {
            builder.Append(')');
        }
    }
}
