using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Hosting;

/// <summary>Ready when the store answers a query and a grain call round-trips through the silo.</summary>
public sealed class ReadinessCheck(IScimStore store, IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.GetTenantAsync("readiness-probe", cancellationToken);
            await grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant("readiness-probe")).Get().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Store or silo not ready.", error);
        }
    }
}
