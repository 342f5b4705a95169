using System.Globalization;
using System.Text.Json;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Resources;

/// <summary>Builds the full representation of a stored resource: its attributes plus <c>meta</c>.</summary>
public static class ResourceRepresentation
{
    public static string ResourceTypeName(ResourceKind kind) => kind == ResourceKind.User ? "User" : "Group";

    /// <summary>
    /// Writes the <c>meta</c> member (name and object) of a resource; <paramref name="location"/> (the resource URL)
    /// is written when the caller knows the base URL. Timestamps are written with millisecond precision in UTC.
    /// </summary>
    public static void WriteMeta(Utf8JsonWriter writer, ResourceKind kind, long version, DateTimeOffset created, DateTimeOffset lastModified, string? location)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject("meta");
        writer.WriteString("resourceType", ResourceTypeName(kind));
        writer.WriteString("created", FormatTimestamp(created));
        writer.WriteString("lastModified", FormatTimestamp(lastModified));
        if (location is not null)
        {
            writer.WriteString("location", location);
        }

        writer.WriteString("version", EntityTags.ForVersion(version));
        writer.WriteEndObject();
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
