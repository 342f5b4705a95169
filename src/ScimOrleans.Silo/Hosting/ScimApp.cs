using Microsoft.AspNetCore.Hosting;
using Orleans.Configuration;
using ScimOrleans.Grains.Membership;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Silo.Auth;
using ScimOrleans.Silo.Endpoints;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Hosting;

/// <summary>Builds the co-hosted ASP.NET Core + Orleans application; used by Program and by the end-to-end tests.</summary>
public static class ScimApp
{
    /// <summary>The address embedded mode listens on when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Builds the application and migrates the store; the caller runs it.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var scim = builder.Configuration.GetSection(ScimOptions.Section).Get<ScimOptions>() ?? new ScimOptions();
        var orleans = builder.Configuration.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions();
        builder.Services.Configure<ScimOptions>(builder.Configuration.GetSection(ScimOptions.Section));
        builder.Services.Configure<ScimGrainOptions>(builder.Configuration.GetSection(ScimOptions.Section));
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = scim.MaxRequestBytes + 1);

        // One deadline for the whole graceful stop. Hosted services stop in reverse registration order and the web
        // server is registered last, so Kestrel stops accepting and drains in-flight requests first, then the silo
        // hands its grains over and leaves the cluster (see docs/adr/0003-cluster-mode-on-postgresql.md).
        builder.Services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = TimeSpan.FromSeconds(scim.ShutdownTimeoutSeconds);
            host.ServicesStopConcurrently = false;
        });

        switch (scim.Mode)
        {
            case ScimMode.Embedded:
                builder.AddEmbeddedMode(scim, orleans);
                break;
            case ScimMode.Cluster:
                builder.AddClusterMode(orleans);
                break;
            default:
                throw new InvalidOperationException($"Scim:Mode '{scim.Mode}' is not a deployment mode; use Embedded or Cluster.");
        }

        // Tuning knobs for operators (and the fault tests): failure detection and the grain call timeout.
        builder.UseOrleans(silo =>
        {
            silo.Services.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection(OrleansOptions.MembershipSection));
            silo.Services.Configure<SiloMessagingOptions>(builder.Configuration.GetSection(OrleansOptions.MessagingSection));

            // Resource grains are a cache of the store: when memory runs short, shed them rather than grow until killed.
            silo.Services.Configure<GrainCollectionOptions>(collection => collection.EnableActivationSheddingOnMemoryPressure = true);
            silo.Services.Configure<GrainCollectionOptions>(builder.Configuration.GetSection(OrleansOptions.GrainCollectionSection));
            silo.AddResourceGrainCollection();
            silo.AddUserGroupsCache();
        });

        builder.Services.AddScimAuthentication();
        builder.Services.AddSingleton<TenantDirectory>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ResourceRepresenter>();
        builder.Services.AddScimProtocol(builder.Configuration);
        builder.Services.ConfigureHttpJsonOptions(AdminEndpoints.ConfigureJson);
        builder.Services.AddHostedService<BootstrapService>();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<ReadinessCheck>("store-and-silo", tags: ["ready"]);

        var app = builder.Build();
        await app.Services.GetRequiredService<IScimStore>().MigrateAsync();
        app.UseMiddleware<ScimErrorMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapHealthEndpoints();
        app.MapScimEndpoints();
        app.MapEventsEndpoints();
        app.MapAdminEndpoints();
        return app;
    }
}
