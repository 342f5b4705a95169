using Microsoft.AspNetCore.Hosting;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Grains.Tenants;
using ScimOrleans.Silo.Auth;
using ScimOrleans.Silo.Endpoints;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;
using ScimOrleans.Storage.Sqlite;

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

        if (scim.Mode != ScimMode.Embedded)
        {
            throw new InvalidOperationException($"Scim:Mode '{scim.Mode}' is not available in this build; use Embedded.");
        }

        var dataDirectory = Path.GetFullPath(scim.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var storeConnection = SqliteConnectionStrings.ForFile(Path.Combine(dataDirectory, "scim.db"));
        builder.Services.AddSingleton<IScimStore>(services =>
            new SqliteScimStore(new SqliteStoreOptions(storeConnection), services.GetRequiredService<ILogger<SqliteScimStore>>()));

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
            silo.AddSqliteGrainStorage(StorageNames.Scim, $"Data Source={Path.Combine(dataDirectory, "orleans.db")}");
        });

        builder.Services.AddScimAuthentication();
        builder.Services.AddSingleton<TenantDirectory>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ResourceRepresenter>();
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
