using Microsoft.Extensions.Diagnostics.HealthChecks;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Hosting;

/// <summary>
/// Ready when the host is not stopping, this silo is an active member of its cluster, the store answers a query and
/// this silo's grain runtime answers a call. A load balancer takes a silo out of rotation as soon as any of these
/// fails — in particular as soon as a graceful stop begins, while Kestrel is still draining. Every check is about
/// this silo only: a crashed peer must not take the survivors out of rotation with it.
/// </summary>
public sealed class ReadinessCheck(
    IScimStore store,
    IGrainFactory grains,
    IClusterMembershipService membership,
    ILocalSiloDetails localSilo,
    IHostApplicationLifetime lifetime) : IHealthCheck
{
    private static readonly TimeSpan GrainCallTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Shutting down.");
        }

        var status = membership.CurrentSnapshot.GetSiloStatus(localSilo.SiloAddress);
        if (status != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"Silo {localSilo.SiloAddress} is {status}, not Active.");
        }

        try
        {
            await store.GetTenantAsync("readiness-probe", cancellationToken);
            await grains.GetGrain<IReadinessProbeGrain>(0).Ping().WaitAsync(GrainCallTimeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("Store or silo not ready.", error);
        }
    }
}
