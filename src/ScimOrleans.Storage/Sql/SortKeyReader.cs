using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// Computes in memory the sort key the SQL of <see cref="QuerySqlTranslator"/> computes for a row, so the key can go
/// into a cursor. It must agree with the SQL exactly — the store contract suite walks every sortable attribute with
/// keyset pages of every size to hold both to that.
/// </summary>
internal static class SortKeyReader
{
    public static JsonValue? Read(ResourceRow row, SortTarget target)
    {
        var raw = target.Source switch
        {
            SortSource.Column => ReadColumn(row, target.Column!),
            SortSource.JsonScalar => Scalar(Navigate(JsonNode.Parse(row.Json), target.Path)),
            _ => Scalar(PrimaryElement(Navigate(JsonNode.Parse(row.Json), target.Path), target.SubAttribute)),
        };

        if (raw is null || raw.GetValueKind() != JsonValueKind.String)
        {
            return raw;
        }

        var text = raw.GetValue<string>();
        if (target.IsJsonTime)
        {
            return JsonValue.Create(TimeKeys.FromStoredText(text));
        }

        return target.FoldsCase ? JsonValue.Create(text.ToLowerInvariant()) : raw;
    }

    private static JsonValue? ReadColumn(ResourceRow row, string column) => column switch
    {
        "id" => JsonValue.Create(row.Id),
        "external_id" => Text(row.Indexed.ExternalId),
        "display_name_key" => Text(row.Indexed.DisplayName?.ToLowerInvariant()),
        "user_name_key" => Text(row.Indexed.UserName?.ToLowerInvariant()),
        "active" => row.Indexed.Active is { } active ? JsonValue.Create(active) : null,
        "created" => JsonValue.Create(StoreTime.ToUnixMicroseconds(row.Created)),
        "last_modified" => JsonValue.Create(StoreTime.ToUnixMicroseconds(row.LastModified)),
        _ => throw new InvalidOperationException($"No sort column '{column}'."),
    };

    private static JsonValue? Text(string? value) => value is null ? null : JsonValue.Create(value);

    private static JsonNode? Navigate(JsonNode? node, IReadOnlyList<string> path)
    {
        foreach (var segment in path)
        {
            // Keys match exactly, as SQL JSON paths do; the writer stores canonical attribute names.
            node = node is JsonObject obj && obj.TryGetPropertyValue(segment, out var child) ? child : null;
        }

        return node;
    }

    /// <summary>The element SQL picks: for complex values the first object with primary true, else the first object.</summary>
    private static JsonNode? PrimaryElement(JsonNode? array, string? subAttribute)
    {
        IReadOnlyList<JsonNode?> elements = array is JsonArray items ? [.. items] : [array];
        if (subAttribute is null)
        {
            return elements.Count > 0 ? elements[0] : null;
        }

        var objects = elements.OfType<JsonObject>().ToList();
        var chosen = objects.FirstOrDefault(o => o["primary"] is JsonValue p && p.GetValueKind() == JsonValueKind.True)
            ?? objects.FirstOrDefault();
        return chosen is not null && chosen.TryGetPropertyValue(subAttribute, out var value) ? value : null;
    }

    /// <summary>A JSON value as SQL reads it: strings, numbers and booleans as themselves, null as NULL.</summary>
    private static JsonValue? Scalar(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => JsonValue.Create(value.GetValue<string>()),
            JsonValueKind.True => JsonValue.Create(true),
            JsonValueKind.False => JsonValue.Create(false),
            _ => JsonNode.Parse(value.ToJsonString())!.AsValue(),
        },
        // An object or array where a scalar is expected: SQL reads its JSON text.
        _ => JsonValue.Create(node.ToJsonString()),
    };
}
