using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScimOrleans.Protocol.Resources;

/// <summary>
/// Reads numbers from any <see cref="JsonValue"/>: parsed values convert freely, but values created from a CLR
/// number only convert to their own type, so each numeric type is tried in turn.
/// </summary>
internal static class JsonNumbers
{
    public static bool TryGetDecimal(JsonValue value, out decimal result)
    {
        result = 0;
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (value.TryGetValue(out result))
        {
            return true;
        }

        if (value.TryGetValue<long>(out var whole))
        {
            result = whole;
            return true;
        }

        if (value.TryGetValue<int>(out var small))
        {
            result = small;
            return true;
        }

        if (value.TryGetValue<ulong>(out var unsigned))
        {
            result = unsigned;
            return true;
        }

        if (value.TryGetValue<double>(out var real) && double.IsFinite(real) && Math.Abs(real) < 7.9e28)
        {
            result = (decimal)real;
            return true;
        }

        return false;
    }
}
