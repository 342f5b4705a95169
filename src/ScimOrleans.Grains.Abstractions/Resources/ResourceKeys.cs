namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>
/// Grain keys. Every key contains a '/' so the AdoNet storage never mistakes it for a hex number, and the kind
/// letter keeps users and groups apart.
/// </summary>
public static class ResourceKeys
{
    public static string User(string tenantId, string id) => $"{tenantId}/u/{id}";

    public static string Group(string tenantId, string id) => $"{tenantId}/g/{id}";

    public static string Tenant(string tenantId) => $"{tenantId}/tenant";

    /// <summary>Splits a resource key into tenant and id.</summary>
    public static (string TenantId, string Id) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var first = key.IndexOf('/', StringComparison.Ordinal);
        var second = first < 0 ? -1 : key.IndexOf('/', first + 1);
        if (first <= 0 || second != first + 2)
        {
            throw new ArgumentException($"'{key}' is not a resource grain key.", nameof(key));
        }

        return (key[..first], key[(second + 1)..]);
    }
}
