using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;

namespace ScimOrleans.Protocol.Patching;

/// <summary>One entry of <c>Operations</c>, with member names matched case-insensitively.</summary>
internal sealed record PatchOperation(PatchOperationKind Kind, string? Path, JsonNode? Value)
{
    public static IReadOnlyList<PatchOperation> ReadAll(JsonObject request)
    {
        if (!ScimJson.TryGetIgnoreCase(request, "Operations", out _, out var node) || node is not JsonArray array || array.Count == 0)
        {
            throw ScimException.InvalidSyntax("A PATCH request needs a non-empty 'Operations' array.");
        }

        var operations = new List<PatchOperation>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject operation)
            {
                throw ScimException.InvalidSyntax($"Operation {i + 1} is not a JSON object.");
            }

            operations.Add(Read(operation, i));
        }

        return operations;
    }

    private static PatchOperation Read(JsonObject operation, int index)
    {
        var opNode = ScimJson.GetIgnoreCase(operation, "op");
        var kind = opNode is JsonValue opValue && opValue.GetValueKind() == JsonValueKind.String
            ? opValue.GetValue<string>().Trim().ToLowerInvariant() switch
            {
                "add" => PatchOperationKind.Add,
                "replace" => PatchOperationKind.Replace,
                "remove" => PatchOperationKind.Remove,
                _ => (PatchOperationKind?)null,
            }
            : null;
        if (kind is null)
        {
            throw ScimException.InvalidSyntax(
                $"Operation {index + 1} has op {opNode?.ToJsonString() ?? "(missing)"}; expected \"add\", \"replace\" or \"remove\".");
        }

        string? path = null;
        var pathNode = ScimJson.GetIgnoreCase(operation, "path");
        if (pathNode is JsonValue pathValue && pathValue.GetValueKind() == JsonValueKind.String)
        {
            path = pathValue.GetValue<string>();
            if (string.IsNullOrWhiteSpace(path))
            {
                path = null;
            }
        }
        else if (pathNode is not null)
        {
            throw ScimException.InvalidPath($"Operation {index + 1}: 'path' must be a string.");
        }

        return new PatchOperation(kind.Value, path, ScimJson.GetIgnoreCase(operation, "value"));
    }

    public override string ToString() => Kind.ToString().ToLowerInvariant() + (Path is null ? "" : " " + Path);
}
