using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Resources;

/// <summary>The resource events grains append: <c>user.*</c> and <c>group.*</c>, with the resource as data.</summary>
internal static class ResourceEvents
{
    /// <summary>"user" or "group": the prefix of a kind's event types.</summary>
    public static string Prefix(ResourceKind kind) => kind == ResourceKind.User ? "user" : "group";

    /// <summary>
    /// The event <paramref name="action"/> of the resource in <paramref name="row"/>; its data is the row's JSON text
    /// with <c>meta</c> appended, without parsing it again.
    /// </summary>
    public static EventDraft For(string action, ResourceRow row) =>
        new($"{Prefix(row.Kind)}.{action}", row.Kind, row.Id,
            ResourceRepresentation.AppendMeta(row.Kind, row.Json, row.Version, row.Created, row.LastModified));
}
