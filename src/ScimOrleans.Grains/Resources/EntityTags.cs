using System.Globalization;

namespace ScimOrleans.Grains.Resources;

/// <summary>Weak entity tags derived from <c>meta.version</c> (RFC 7644 §3.14).</summary>
public static class EntityTags
{
    public static string ForVersion(long version) => string.Create(CultureInfo.InvariantCulture, $"W/\"{version}\"");

    /// <summary>
    /// Whether an If-Match header value admits the resource at <paramref name="version"/>: absent or <c>*</c> admits
    /// any; otherwise one listed tag must name that version (weak comparison, as RFC 7232 allows for If-Match here
    /// since SCIM versions are weak by nature).
    /// </summary>
    public static bool Matches(string? header, long version)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return true;
        }

        var expected = version.ToString(CultureInfo.InvariantCulture);
        foreach (var raw in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "*")
            {
                return true;
            }

            var tag = raw.StartsWith("W/", StringComparison.OrdinalIgnoreCase) ? raw[2..] : raw;
            if (tag.Trim('"') == expected)
            {
                return true;
            }
        }

        return false;
    }
}
