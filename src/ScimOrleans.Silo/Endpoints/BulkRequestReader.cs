using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// Reads a BulkRequest (RFC 7644 §3.7). A body that is not a BulkRequest at all fails the whole request (400, or 413
/// above <c>maxOperations</c>); a malformed operation fails only itself, reported in the response.
/// </summary>
/// <remarks>
/// The envelope is read once as a <see cref="JsonDocument"/> and each operation's <c>data</c> is handed on as its
/// JSON text, which the grains parse and validate exactly as a single request's body. Only data that can hold a
/// bulkId reference is turned into a tree here: a thousand creates are not parsed, built and re-serialised twice.
/// </remarks>
internal static class BulkRequestReader
{
    public static (IReadOnlyList<BulkOperationRequest> Operations, int? FailOnErrors) Read(ReadOnlyMemory<byte> body, int maxOperations)
    {
        using var document = ScimJson.ParseDocument(body);
        var request = document.RootElement;
        if (Member(request, "schemas") is { } schemas
            && (schemas.ValueKind != JsonValueKind.Array || !schemas.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.String
                && string.Equals(s.GetString(), ScimUris.BulkRequest, StringComparison.OrdinalIgnoreCase))))
        {
            throw ScimException.InvalidSyntax($"A bulk request's schemas must contain '{ScimUris.BulkRequest}'.");
        }

        int? failOnErrors = null;
        if (Member(request, "failOnErrors") is { } fail)
        {
            if (fail.ValueKind != JsonValueKind.Number || !fail.TryGetInt32(out var limit) || limit < 1)
            {
                throw ScimException.InvalidValue("failOnErrors must be a positive integer.");
            }

            failOnErrors = limit;
        }

        if (Member(request, "Operations") is not { ValueKind: JsonValueKind.Array } operations)
        {
            throw ScimException.InvalidSyntax("A bulk request needs an 'Operations' array.");
        }

        var count = operations.GetArrayLength();
        if (count > maxOperations)
        {
            throw new ScimException(413, null, $"The bulk request has {count} operations; maxOperations is {maxOperations}.");
        }

        var read = new List<BulkOperationRequest>(count);
        var bulkIds = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var operation in operations.EnumerateArray())
        {
            read.Add(ReadOperation(index++, operation, bulkIds));
        }

        return (read, failOnErrors);
    }

    private static BulkOperationRequest ReadOperation(int index, JsonElement operation, HashSet<string> bulkIds)
    {
        var method = "";
        string? bulkId = null;
        string? path = null;
        try
        {
            if (operation.ValueKind != JsonValueKind.Object)
            {
                throw ScimException.InvalidSyntax("A bulk operation must be a JSON object.");
            }

            method = String(operation, "method")?.ToUpperInvariant() ?? throw ScimException.InvalidSyntax("A bulk operation needs a 'method'.");
            bulkId = String(operation, "bulkId");
            path = String(operation, "path") ?? throw ScimException.InvalidSyntax("A bulk operation needs a 'path'.");
            var version = String(operation, "version");
            if (method is not ("POST" or "PUT" or "PATCH" or "DELETE"))
            {
                throw ScimException.InvalidValue($"Bulk method '{method}' is not one of POST, PUT, PATCH, DELETE.");
            }

            var (kind, id) = ParsePath(path, method);
            var data = Member(operation, "data");
            if (method != "DELETE" && data is not { ValueKind: JsonValueKind.Object })
            {
                throw ScimException.InvalidSyntax($"A bulk {method} needs 'data', a JSON object.");
            }

            if (bulkId is not null)
            {
                if (method != "POST")
                {
                    throw ScimException.InvalidValue("Only a POST defines a bulkId.");
                }

                if (bulkId.Length == 0 || !bulkIds.Add(bulkId))
                {
                    throw ScimException.InvalidValue($"bulkId '{bulkId}' is empty or used by an earlier operation of this request.");
                }
            }

            var text = data is { ValueKind: JsonValueKind.Object } payload ? payload.GetRawText() : null;
            return new BulkOperationRequest(index, method, bulkId, path, version, text, kind, id, BulkReferences.Find(MayReference(text) ? JsonNode.Parse(text!) : null, id), null);
        }
        catch (ScimException error)
        {
            return new BulkOperationRequest(index, method, bulkId, path, null, null, ResourceKind.User, null, new HashSet<string>(), error);
        }
    }

    /// <summary>
    /// Whether data's JSON text can contain a <c>bulkId:</c> reference: it spells the prefix, or it has escapes that
    /// could spell it.
    /// </summary>
    private static bool MayReference(string? text) =>
        text is not null && (text.Contains(BulkReferences.Prefix, StringComparison.Ordinal) || text.Contains("\\u", StringComparison.Ordinal));

    /// <summary><c>/Users</c> or <c>/Groups</c> for POST, <c>/Users/{id}</c> or <c>/Groups/{id}</c> otherwise.</summary>
    private static (ResourceKind Kind, string? Id) ParsePath(string path, string method)
    {
        var segments = path.Trim().TrimStart('/').Split('/');
        var kind = segments[0] switch
        {
            var s when s.Equals("Users", StringComparison.OrdinalIgnoreCase) => ResourceKind.User,
            var s when s.Equals("Groups", StringComparison.OrdinalIgnoreCase) => ResourceKind.Group,
            _ => throw ScimException.InvalidPath($"Bulk path '{path}' names no resource type; use /Users or /Groups."),
        };

        return (method, segments.Length) switch
        {
            ("POST", 1) => (kind, null),
            ("POST", _) => throw ScimException.InvalidPath($"A bulk POST's path is a resource type endpoint such as /Users, not '{path}'."),
            (_, 2) when segments[1].Length > 0 => (kind, Uri.UnescapeDataString(segments[1])),
            _ => throw ScimException.InvalidPath($"A bulk {method}'s path names one resource, such as /Users/{{id}}, not '{path}'."),
        };
    }

    /// <summary>A member by case-insensitive name (SCIM attribute names are case-insensitive).</summary>
    private static JsonElement? Member(JsonElement obj, string name)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? String(JsonElement obj, string name) => Member(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw ScimException.InvalidSyntax($"'{name}' of a bulk operation must be a string."),
    };
}
