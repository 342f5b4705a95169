using System.Globalization;
using System.Text.Json.Nodes;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Resources;

/// <summary>Builds the full representation of a stored resource: its attributes plus <c>meta</c>.</summary>
public static class ResourceRepresentation
{
    public static string ResourceTypeName(ResourceKind kind) => kind == ResourceKind.User ? "User" : "Group";

    /// <summary>
    /// Attributes plus meta; <paramref name="location"/> (the resource URL) is added when the caller knows the base
    /// URL. Timestamps are written with millisecond precision in UTC.
    /// </summary>
    public static JsonObject Build(ResourceKind kind, JsonObject attributes, long version, DateTimeOffset created, DateTimeOffset lastModified, string? location)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var meta = new JsonObject
        {
            ["resourceType"] = ResourceTypeName(kind),
            ["created"] = FormatTimestamp(created),
            ["lastModified"] = FormatTimestamp(lastModified),
        };
        if (location is not null)
        {
            meta["location"] = location;
        }

        meta["version"] = EntityTags.ForVersion(version);
        attributes["meta"] = meta;
        return attributes;
    }

    /// <summary>
    /// Appends <c>meta</c> (without location) to a resource's compact JSON text. Cheaper than parse, add, serialise
    /// on the write path, where the text was just produced from the same attributes.
    /// </summary>
    public static string AppendMeta(ResourceKind kind, string attributesJson, long version, DateTimeOffset created, DateTimeOffset lastModified)
    {
        ArgumentNullException.ThrowIfNull(attributesJson);
        var body = attributesJson.AsSpan().TrimEnd();
        if (body.Length < 2 || body[^1] != '}')
        {
            throw new ArgumentException("Not a JSON object.", nameof(attributesJson));
        }

        // Written as text, once per event of every write: the values are fixed ASCII (type, timestamps, the version's
        // quotes escaped as System.Text.Json escapes them), so a JsonObject built and serialised here only allocated.
        var separator = body[..^1].TrimEnd().EndsWith("{", StringComparison.Ordinal) ? "" : ",";
        var meta = string.Create(
            CultureInfo.InvariantCulture,
            $"{separator}\"meta\":{{\"resourceType\":\"{ResourceTypeName(kind)}\",\"created\":\"{FormatTimestamp(created)}\",\"lastModified\":\"{FormatTimestamp(lastModified)}\",\"version\":\"W/\\u0022{version}\\u0022\"}}}}");
        return string.Concat(body[..^1], meta);
    }

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
