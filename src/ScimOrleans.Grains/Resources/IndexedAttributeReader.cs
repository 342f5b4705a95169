using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Resources;

/// <summary>Extracts the attributes the store indexes from a resource's normalised attributes.</summary>
internal static class IndexedAttributeReader
{
    public static IndexedAttributes Read(ResourceKind kind, JsonObject attributes)
    {
        var userName = kind == ResourceKind.User ? ReadString(attributes, "userName") : null;
        return new IndexedAttributes(
            userName,
            ReadString(attributes, "externalId"),
            ReadString(attributes, "displayName"),
            kind == ResourceKind.User ? ReadBoolean(attributes, "active") : null,
            kind == ResourceKind.User ? ReadWorkEmail(attributes) : null);
    }

    /// <summary>Absent <c>active</c> counts as active: SCIM leaves it optional and IdPs only ever send false to disable.</summary>
    public static bool IsActive(JsonObject attributes) => ReadBoolean(attributes, "active") ?? true;

    private static string? ReadString(JsonObject attributes, string name) =>
        attributes[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool? ReadBoolean(JsonObject attributes, string name) =>
        attributes[name] is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : null;

    private static string? ReadWorkEmail(JsonObject attributes)
    {
        if (attributes["emails"] is not JsonArray emails)
        {
            return null;
        }

        foreach (var email in emails)
        {
            if (email is JsonObject entry
                && string.Equals(ReadString(entry, "type"), "work", StringComparison.OrdinalIgnoreCase)
                && ReadString(entry, "value") is { } value)
            {
                return value;
            }
        }

        return null;
    }
}
