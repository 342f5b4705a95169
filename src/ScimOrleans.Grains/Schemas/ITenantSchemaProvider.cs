using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Schemas;

/// <summary>
/// The schema a tenant's resources are validated, patched, filtered, sorted and projected with: the built-in schema of
/// the resource type plus the extensions the tenant registered. Used by the resource grains and the HTTP endpoints alike.
/// </summary>
public interface ITenantSchemaProvider
{
    /// <summary>The tenant's schema of <paramref name="kind"/> (the built-in one when the tenant has no extension).</summary>
    ValueTask<ResourceSchema> GetAsync(string tenantId, ResourceKind kind);

    /// <summary>Forgets this silo's copy, after the tenant's extensions changed here.</summary>
    void Invalidate(string tenantId);
}
