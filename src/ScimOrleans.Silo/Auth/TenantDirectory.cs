using System.Collections.Concurrent;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;

namespace ScimOrleans.Silo.Auth;

/// <summary>
/// A silo-local cache of tenant configuration for authenticating every request without a grain call each time.
/// Entries live a few seconds: a token revoked through another silo stops working within <see cref="Lifetime"/>;
/// through this silo, at once.
/// </summary>
public sealed class TenantDirectory(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public async ValueTask<TenantInfo?> GetAsync(string tenantId)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(tenantId, out var entry) && entry.Expires > now)
        {
            return entry.Tenant;
        }

        var tenant = await grains.GetTenantGrain(tenantId).Get();
        entries[tenantId] = new Entry(tenant, now + Lifetime);
        return tenant;
    }

    public void Invalidate(string tenantId) => entries.TryRemove(tenantId, out _);

    private sealed record Entry(TenantInfo? Tenant, DateTimeOffset Expires);
}
