using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Protocol.Resources;

/// <summary>JSON helpers shared by the protocol layer and its hosts.</summary>
public static class ScimJson
{
    /// <summary>Deeper documents are rejected before they can exhaust the stack of the recursive code downstream.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = MaxDepth,
        // Duplicate names would otherwise surface as an ArgumentException far from the parser.
        AllowDuplicateProperties = false,
    };

    /// <summary>Parses a request body that must be a JSON object; throws 400 invalidSyntax otherwise.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
    {
        utf8 = utf8[JsonStart(utf8)..];
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8, nodeOptions: null, documentOptions: s_documentOptions);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw NotJson(ex);
        }

        return AsValidatedObject(node);
    }

    /// <summary>Parses a request body that must be a JSON object; throws 400 invalidSyntax otherwise.</summary>
    public static JsonObject ParseObject(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw EmptyBody();
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, nodeOptions: null, documentOptions: s_documentOptions);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw NotJson(ex);
        }

        return AsValidatedObject(node);
    }

    /// <summary>
    /// Parses a request body into a read-only <see cref="JsonDocument"/> with the same rules as <see cref="ParseObject(ReadOnlySpan{byte})"/>
    /// (no comments or trailing commas, no duplicate names, depth limit), for envelopes read once, such as a bulk
    /// request, whose parts are handed on as text. The root must be an object. Errors are 400 invalidSyntax.
    /// </summary>
    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> utf8)
    {
        utf8 = utf8[JsonStart(utf8.Span)..];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_documentOptions);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw NotJson(ex);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw NotAnObject();
        }

        return document;
    }

    /// <summary>The checks both parse paths share: duplicate keys and similar (see Validate), then "must be an object".</summary>
    private static JsonObject AsValidatedObject(JsonNode? node)
    {
        try
        {
            Validate(node);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw NotJson(ex);
        }

        return node as JsonObject ?? throw NotAnObject();
    }

    /// <summary>
    /// Where the JSON of a UTF-8 body starts: after a byte-order mark, which some clients send and the JSON reader would
    /// reject. A body of nothing but whitespace is 400 invalidSyntax.
    /// </summary>
    private static int JsonStart(ReadOnlySpan<byte> utf8)
    {
        var start = utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        return IsBlank(utf8[start..]) ? throw EmptyBody() : start;
    }

    private static ScimException EmptyBody() => ScimException.InvalidSyntax("The request body is empty; a JSON object was expected.");

    private static ScimException NotAnObject() => ScimException.InvalidSyntax("The request body must be a JSON object.");

    private static ScimException NotJson(Exception error) =>
        ScimException.InvalidSyntax("The request body is not valid JSON: " + error.Message);

    /// <summary>Gets a member of an object by name, case-insensitively (RFC 7643 §2.1), exact match preferred.</summary>
    public static JsonNode? GetIgnoreCase(JsonObject obj, string name)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return TryGetIgnoreCase(obj, name, out _, out var value) ? value : null;
    }

    /// <summary>Like <see cref="GetIgnoreCase"/>, but tells a missing member from one whose value is null.</summary>
    public static bool TryGetIgnoreCase(JsonObject obj, string name, out string actualName, out JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(name);
        if (obj.TryGetPropertyValue(name, out value))
        {
            actualName = name;
            return true;
        }

        foreach (var (key, node) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                actualName = key;
                value = node;
                return true;
            }
        }

        actualName = name;
        value = null;
        return false;
    }

    /// <summary>Removes every member named <paramref name="name"/> in any letter case.</summary>
    internal static void RemoveIgnoreCase(JsonObject obj, string name)
    {
        var keys = obj.Where(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Select(p => p.Key).ToList();
        foreach (var key in keys)
        {
            obj.Remove(key);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Walks the tree so that any lazily detected problem (such as a duplicate name) surfaces here.</summary>
    private static void Validate(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Validate(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Validate(child);
                }

                break;
        }
    }
}
