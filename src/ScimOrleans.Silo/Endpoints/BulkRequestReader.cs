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
internal static class BulkRequestReader
{
    public static (IReadOnlyList<BulkOperationRequest> Operations, int? FailOnErrors) Read(string body, int maxOperations)
    {
        var request = ScimJson.ParseObject(body);
        if (Member(request, "schemas") is { } schemas
            && (schemas is not JsonArray list || !list.Any(s => s is JsonValue v && v.GetValueKind() == JsonValueKind.String
                && string.Equals(v.GetValue<string>(), ScimUris.BulkRequest, StringComparison.OrdinalIgnoreCase))))
        {
            throw ScimException.InvalidSyntax($"A bulk request's schemas must contain '{ScimUris.BulkRequest}'.");
        }

        int? failOnErrors = null;
        if (Member(request, "failOnErrors") is { } fail)
        {
            if (fail is not JsonValue failValue || !failValue.TryGetValue<int>(out var limit) || limit < 1)
            {
                throw ScimException.InvalidValue("failOnErrors must be a positive integer.");
            }

            failOnErrors = limit;
        }

        if (Member(request, "Operations") is not JsonArray operations)
        {
            throw ScimException.InvalidSyntax("A bulk request needs an 'Operations' array.");
        }

        if (operations.Count > maxOperations)
        {
            throw new ScimException(413, null, $"The bulk request has {operations.Count} operations; maxOperations is {maxOperations}.");
        }

        var read = new List<BulkOperationRequest>(operations.Count);
        var bulkIds = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < operations.Count; index++)
        {
            read.Add(ReadOperation(index, operations[index], bulkIds));
        }

        return (read, failOnErrors);
    }

    private static BulkOperationRequest ReadOperation(int index, JsonNode? node, HashSet<string> bulkIds)
    {
        var method = "";
        string? bulkId = null;
        string? path = null;
        try
        {
            if (node is not JsonObject operation)
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
            if (method != "DELETE" && data is not JsonObject)
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

            var payload = data as JsonObject;
            return new BulkOperationRequest(index, method, bulkId, path, version, payload, kind, id, BulkReferences.Find(payload, id), null);
        }
        catch (ScimException error)
        {
            return new BulkOperationRequest(index, method, bulkId, path, null, null, ResourceKind.User, null, new HashSet<string>(), error);
        }
    }

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

    private static JsonNode? Member(JsonObject obj, string name) =>
        obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? String(JsonObject obj, string name) => Member(obj, name) switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw ScimException.InvalidSyntax($"'{name}' of a bulk operation must be a string."),
    };
}
