using System.Text.RegularExpressions;

namespace ScimOrleans.Silo.Admin;

/// <summary>Tenant ids appear in URLs and grain keys: lower-case letters, digits and inner dashes, 1–63 characters.</summary>
public static partial class TenantIds
{
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
