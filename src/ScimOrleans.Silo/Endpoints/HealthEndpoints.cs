using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace ScimOrleans.Silo.Endpoints;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the silo is active and the store reachable.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
