using ScimOrleans.Grains.Schemas;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// Registers the services behind the SCIM endpoints (lists and cursors, bulk) and the per-tenant schema lookup the
/// endpoints and the resource grains share.
/// </summary>
public static class ProtocolServices
{
    public static IServiceCollection AddScimProtocol(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.Configure<ScimProtocolOptions>(configuration.GetSection("Scim"));
        services.AddSingleton<ITenantSchemaProvider, TenantSchemaProvider>();
        services.AddSingleton<ResourceLister>();
        services.AddSingleton<BulkProcessor>();
        return services;
    }
}
