using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Silo.Admin;
using ScimOrleans.Silo.Auth;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Hosting;

/// <summary>
/// Runs once the silo is up: generates the admin key if none is configured, ensures the bootstrap tenant and token
/// from configuration, or — on a deployment with no tenant at all — creates a <c>demo</c> tenant. Secrets created
/// here are printed to the console once (only their hashes are stored).
/// </summary>
/// <remarks>
/// Every silo of a cluster runs this at the same time, so each step is idempotent and decided by a grain: the tenant
/// grain and the admin-key grain serialise their callers, so exactly one caller creates (and prints) a secret and the
/// others find it done. While silos are still joining, two of them may briefly activate the same grain; the loser's
/// state write fails its version check, and the step is retried, then finding the winner's state.
/// </remarks>
public sealed class BootstrapService(
    IGrainFactory grains,
    IScimStore store,
    IOptions<ScimOptions> options,
    IHostApplicationLifetime lifetime,
    IServer server,
    ILogger<BootstrapService> logger) : IHostedService
{
    public const string DemoTenant = "demo";

    /// <summary>How long transient failures (cluster still forming, database hiccup) are retried before start-up fails.</summary>
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scim = options.Value;
        var announcements = new List<Func<string, string>>();

        if (string.IsNullOrEmpty(scim.AdminKey)
            && await RetryAsync(() => grains.GetGrain<IAdminKeyGrain>(AdminKeyHandler.GrainKey).EnsureGenerated(), cancellationToken) is { } adminKey)
        {
            announcements.Add(_ => $"Admin key (shown once; set Scim__AdminKey to choose your own): {adminKey}");
        }

        if (!string.IsNullOrEmpty(scim.Bootstrap.Tenant) && !string.IsNullOrEmpty(scim.Bootstrap.Token))
        {
            if (!TenantIds.IsValid(scim.Bootstrap.Tenant))
            {
                throw new InvalidOperationException($"Scim:Bootstrap:Tenant '{scim.Bootstrap.Tenant}' is not a valid tenant id.");
            }

            var tenant = scim.Bootstrap.Tenant;
            await RetryAsync(() => grains.GetTenantGrain(tenant).EnsureToken(scim.Bootstrap.Token, "bootstrap"), cancellationToken);
            announcements.Add(root => $"Tenant '{tenant}' ready at {root}/scim/v2/{tenant} (token from Scim__Bootstrap__Token)");
        }
        else if ((scim.CreateDemoTenant ?? scim.Mode == ScimMode.Embedded)
            && await RetryAsync(CreateDemoTenantAsync, cancellationToken) is { } demoToken)
        {
            announcements.Add(root => $"Demo tenant created. SCIM base URL: {root}/scim/v2/{DemoTenant}{Environment.NewLine}  Bearer token (shown once): {demoToken}");
        }

        if (announcements.Count > 0)
        {
            lifetime.ApplicationStarted.Register(() => Announce(announcements));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Creates the demo tenant and issues its token, or returns null when any tenant exists already. Only the caller
    /// whose <c>Create</c> made the tenant issues the token, so silos starting together print at most one.
    /// </summary>
    private async Task<string?> CreateDemoTenantAsync()
    {
        if ((await store.ListTenantsAsync()).Count > 0)
        {
            return null;
        }

        var grain = grains.GetTenantGrain(DemoTenant);
        if (await grain.Create(MembershipPolicy.RemoveFromGroups) is null)
        {
            return null;
        }

        return (await grain.IssueToken("demo"))?.Token;
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> step, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + RetryBudget;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await step();
            }
            catch (Exception error) when (error is not OperationCanceledException && DateTimeOffset.UtcNow < deadline)
            {
                logger.LogWarning(error, "Bootstrap step failed (attempt {Attempt}); retrying.", attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt * attempt)), cancellationToken);
            }
        }
    }

    private void Announce(List<Func<string, string>> announcements)
    {
        var root = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? ScimApp.DefaultUrl;
        var text = new StringBuilder().AppendLine().AppendLine("=== ScimOrleans ===");
        foreach (var announce in announcements)
        {
            text.Append("  ").AppendLine(announce(root.TrimEnd('/')));
        }

        Console.Out.WriteLine(text.ToString());
        logger.LogInformation("Bootstrap complete; secrets were printed to the console.");
    }
}
