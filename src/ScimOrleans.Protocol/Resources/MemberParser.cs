using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Protocol.Resources;

/// <summary>Reads the member references of a Group body or PATCH value (array, single object or bare ids).</summary>
internal static class MemberParser
{
    public static List<MemberReference> Parse(JsonNode? node)
    {
        var result = new List<MemberReference>();
        if (node is null)
        {
            return result;
        }

        IEnumerable<JsonNode?> elements = node is JsonArray array ? array : new[] { node };
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var element in elements)
        {
            var member = ParseOne(element);
            if (member is null)
            {
                continue;
            }

            if (positions.TryGetValue(member.Value, out var index))
            {
                // The same member twice: keep one, preferring the type the client stated.
                if (member.Type is not null)
                {
                    result[index] = member;
                }

                continue;
            }

            positions[member.Value] = result.Count;
            result.Add(member);
        }

        return result;
    }

    private static MemberReference? ParseOne(JsonNode? element)
    {
        switch (element)
        {
            case null:
                return null;
            case JsonValue scalar:
                return new MemberReference(ReadId(scalar), null);
            case JsonObject obj:
                var value = ScimJson.GetIgnoreCase(obj, "value") as JsonValue
                    ?? throw ScimException.InvalidValue("Each member must have a non-empty string 'value'.");
                return new MemberReference(ReadId(value), ReadType(ScimJson.GetIgnoreCase(obj, "type")));
            default:
                throw ScimException.InvalidValue("Each member must be an object with a 'value'.");
        }
    }

    private static string ReadId(JsonValue value)
    {
        var id = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => "",
        };
        if (string.IsNullOrWhiteSpace(id))
        {
            throw ScimException.InvalidValue("Each member must have a non-empty string 'value'.");
        }

        return id;
    }

    private static string? ReadType(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>().Trim();
            if (text.Length == 0)
            {
                return null;
            }

            if (string.Equals(text, "User", StringComparison.OrdinalIgnoreCase))
            {
                return "User";
            }

            if (string.Equals(text, "Group", StringComparison.OrdinalIgnoreCase))
            {
                return "Group";
            }
        }

        throw ScimException.InvalidValue($"Member type {node.ToJsonString()} is not valid; use \"User\" or \"Group\".");
    }
}
