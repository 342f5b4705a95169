using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// An RFC 9865 cursor: where the next page starts (a keyset position, see <see cref="KeysetPosition"/>), bound to the
/// query it belongs to. On the wire it is base64url (unreserved characters only) of a small versioned JSON document:
/// <c>{"v":1,"q":query hash,"n":count,"t":issued (unix s),"r":resource type,"k":sort key,"c":created (µs),"i":id}</c>.
/// Nothing is kept on the server, so cursors cost no memory and work on every silo.
/// </summary>
/// <remarks>
/// The query hash covers tenant, endpoint, filter and sort: a cursor replayed with another query is invalidCursor, and
/// with another count invalidCount (RFC 9865 §2.1). Cursors are not signed — a client that edits one can only move its
/// own walk within the same query, which the filter already lets it do.
/// </remarks>
internal sealed record ListCursor(string QueryHash, int Count, long IssuedAt, ResourceKind Kind, KeysetPosition Position)
{
    private const int Version = 1;

    public string Encode()
    {
        var document = new JsonObject
        {
            ["v"] = Version,
            ["q"] = QueryHash,
            ["n"] = Count,
            ["t"] = IssuedAt,
            ["r"] = Kind == ResourceKind.User ? "U" : "G",
            ["k"] = Position.Key?.DeepClone(),
            ["c"] = Position.CreatedMicroseconds,
            ["i"] = Position.Id,
        };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(document.ToJsonString()));
    }

    /// <summary>Reads a cursor; anything this server did not produce is 400 invalidCursor.</summary>
    public static ListCursor Decode(string text)
    {
        try
        {
            var bytes = Base64Url.DecodeFromChars(text);
            if (JsonNode.Parse(bytes) is JsonObject document
                && document["v"] is JsonValue v && v.TryGetValue<int>(out var version) && version == Version
                && document["q"] is JsonValue q && q.GetValueKind() == JsonValueKind.String
                && document["n"] is JsonValue n && n.TryGetValue<int>(out var count)
                && document["t"] is JsonValue t && t.TryGetValue<long>(out var issued)
                && document["r"] is JsonValue r && r.GetValueKind() == JsonValueKind.String && r.GetValue<string>() is "U" or "G"
                && document["c"] is JsonValue c && c.TryGetValue<long>(out var created)
                && document["i"] is JsonValue i && i.GetValueKind() == JsonValueKind.String
                && document["k"] is null or JsonValue)
            {
                var key = document["k"] is JsonValue k && k.GetValueKind() is not JsonValueKind.Null
                    ? JsonNode.Parse(k.ToJsonString())!.AsValue()
                    : null;
                var kind = r.GetValue<string>() == "U" ? ResourceKind.User : ResourceKind.Group;
                return new ListCursor(q.GetValue<string>(), count, issued, kind, new KeysetPosition(key, created, i.GetValue<string>()));
            }
        }
        catch (FormatException)
        {
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }

        throw Invalid();
    }

    /// <summary>A short digest of what defines the query's result order and set.</summary>
    public static string HashQuery(string tenant, string scope, string? filter, string? sortBy, bool descending)
    {
        var text = string.Join('\n', tenant, scope, filter ?? "", sortBy ?? "", descending ? "d" : "a");
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
    }

    public static ScimException Invalid() =>
        new(400, ScimTypes.InvalidCursor, "The cursor is not valid for this query; start again with an empty cursor.");
}
