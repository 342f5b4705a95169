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
/// here are printed to the console once (only their hashes are stored). Idempotent, so every silo of a cluster may
/// run it at the same time.
/// </summary>
public sealed class BootstrapService(
    IGrainFactory grains,
    IScimStore store,
    IOptions<ScimOptions> options,
    IHostApplicationLifetime lifetime,
    IServer server,
    ILogger<BootstrapService> logger) : IHostedService
{
    public const string DemoTenant = "demo";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scim = options.Value;
        var announcements = new List<Func<string, string>>();

        if (string.IsNullOrEmpty(scim.AdminKey)
            && await grains.GetGrain<IAdminKeyGrain>(AdminKeyHandler.GrainKey).EnsureGenerated() is { } adminKey)
        {
            announcements.Add(_ => $"Admin key (shown once; set Scim__AdminKey to choose your own): {adminKey}");
        }

        if (!string.IsNullOrEmpty(scim.Bootstrap.Tenant) && !string.IsNullOrEmpty(scim.Bootstrap.Token))
        {
            if (!TenantIds.IsValid(scim.Bootstrap.Tenant))
            {
                throw new InvalidOperationException($"Scim:Bootstrap:Tenant '{scim.Bootstrap.Tenant}' is not a valid tenant id.");
            }

            await grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant(scim.Bootstrap.Tenant)).EnsureToken(scim.Bootstrap.Token, "bootstrap");
            var tenant = scim.Bootstrap.Tenant;
            announcements.Add(root => $"Tenant '{tenant}' ready at {root}/scim/v2/{tenant} (token from Scim__Bootstrap__Token)");
        }
        else if (scim.CreateDemoTenant && (await store.ListTenantsAsync(cancellationToken)).Count == 0)
        {
            var grain = grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant(DemoTenant));
            await grain.Create(MembershipPolicy.RemoveFromGroups);
            var token = await grain.IssueToken("demo");
            announcements.Add(root => $"Demo tenant created. SCIM base URL: {root}/scim/v2/{DemoTenant}{Environment.NewLine}  Bearer token (shown once): {token!.Token}");
        }

        if (announcements.Count > 0)
        {
            lifetime.ApplicationStarted.Register(() => Announce(announcements));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
