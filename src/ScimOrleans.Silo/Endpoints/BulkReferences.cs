using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// <c>bulkId:x</c> references (RFC 7644 §3.7.2): a string value that is exactly <c>bulkId:x</c> anywhere in an
/// operation's data (member values, <c>manager.value</c>, values inside PATCH operations, at any depth), the id segment
/// of its path, and <c>bulkId:x</c> inside a PATCH path filter (<c>members[value eq "bulkId:x"]</c>). Each is replaced
/// by the id of the resource the POST with that bulkId created.
/// </summary>
internal static partial class BulkReferences
{
    public const string Prefix = "bulkId:";

    /// <summary>The bulkIds <paramref name="data"/> and <paramref name="targetId"/> refer to.</summary>
    public static HashSet<string> Find(JsonNode? data, string? targetId)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (targetId is not null && targetId.StartsWith(Prefix, StringComparison.Ordinal))
        {
            found.Add(targetId[Prefix.Length..]);
        }

        Visit(data, text =>
        {
            if (text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                found.Add(text[Prefix.Length..]);
            }
            else
            {
                foreach (Match match in Embedded().Matches(text))
                {
                    found.Add(match.Groups[1].Value);
                }
            }
        });
        return found;
    }

    /// <summary>A copy of <paramref name="data"/> with every reference replaced through <paramref name="resolve"/>.</summary>
    public static JsonObject Replace(JsonObject data, Func<string, string> resolve) => (JsonObject)Rewrite(data, resolve)!;

    public static string ResolveId(string id, Func<string, string> resolve) =>
        id.StartsWith(Prefix, StringComparison.Ordinal) ? resolve(id[Prefix.Length..]) : id;

    private static JsonNode? Rewrite(JsonNode? node, Func<string, string> resolve)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (name, value) in obj)
                {
                    copy[name] = Rewrite(value, resolve);
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select(e => Rewrite(e, resolve))]);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                if (text.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    return JsonValue.Create(resolve(text[Prefix.Length..]));
                }

                return JsonValue.Create(Embedded().Replace(text, m => resolve(m.Groups[1].Value)));
            default:
                return node?.DeepClone();
        }
    }

    private static void Visit(JsonNode? node, Action<string> onString)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Visit(value, onString);
                }

                break;
            case JsonArray array:
                foreach (var element in array)
                {
                    Visit(element, onString);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                onString(value.GetValue<string>());
                break;
        }
    }

    /// <summary>A reference inside a longer string (a PATCH filter): the bulkId is URL-safe characters.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9])bulkId:([A-Za-z0-9._~-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex Embedded();
}
