using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ScimOrleans.Silo.Hosting;
using ScimOrleans.TestSupport;

namespace ScimOrleans.Silo.Tests.Infrastructure;

/// <summary>
/// The real host (ASP.NET Core + Orleans silo) on a loopback port, with a bootstrap tenant, in embedded mode on SQLite
/// files or in cluster mode (one silo) on a fresh PostgreSQL database: see <see cref="ScimBackend"/>. Tests talk to it
/// over real HTTP. <see cref="RestartAsync"/> stops the process-equivalent and starts it again on the same data
/// directory or database (and, in cluster mode, the same cluster).
/// </summary>
public sealed class ScimServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";
    public const string Tenant = "acme";
    public const string TenantToken = "acme-test-token";

    private readonly string dataDirectory;
    private readonly string[] backendArguments;
    private readonly string[] extraArguments;
    private WebApplication? app;

    private ScimServer(ScimBackend backend, string dataDirectory, string[] backendArguments, string[] extraArguments)
    {
        Backend = backend;
        this.dataDirectory = dataDirectory;
        this.backendArguments = backendArguments;
        this.extraArguments = extraArguments;
    }

    public ScimBackend Backend { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => app!.Services;

    /// <summary>An embedded-mode server on SQLite.</summary>
    /// <param name="extraArguments">More configuration, e.g. <c>"--Scim:MaxMembersReturned", "3"</c>.</param>
    public static Task<ScimServer> StartAsync(params string[] extraArguments) =>
        StartAsync(ScimBackend.Sqlite, null, extraArguments);

    /// <summary>A server on <paramref name="backend"/>.</summary>
    /// <param name="postgres">The shared PostgreSQL server; required for <see cref="ScimBackend.Postgres"/>.</param>
    /// <param name="extraArguments">More configuration, e.g. <c>"--Scim:MaxMembersReturned", "3"</c>.</param>
    public static async Task<ScimServer> StartAsync(ScimBackend backend, PostgresServer? postgres, params string[] extraArguments)
    {
        var id = Guid.NewGuid().ToString("N");
        var directory = Path.Combine(Path.GetTempPath(), "scimorleans-tests", id);
        Directory.CreateDirectory(directory);
        string[] backendArguments = backend switch
        {
            ScimBackend.Sqlite => [],
            ScimBackend.Postgres =>
            [
                "--Scim:Mode", "Cluster",
                "--ConnectionStrings:Scim", await (postgres ?? throw new ArgumentNullException(nameof(postgres))).CreateDatabaseAsync(),
                // A cluster of its own per server, so no two test hosts ever see each other's silos.
                "--Orleans:ClusterId", $"e2e-{id}",
                "--Orleans:ServiceId", $"e2e-{id}",
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, null),
        };
        var server = new ScimServer(backend, directory, backendArguments, extraArguments);
        try
        {
            await server.StartInternalAsync();
        }
        catch
        {
            // A start that fails (tests of invalid settings) leaves no data directory behind.
            await server.AbandonAsync();
            throw;
        }

        return server;
    }

    /// <summary>A client for the bootstrap tenant's SCIM API.</summary>
    public ScimClient Client(string tenant = Tenant, string? token = TenantToken) => new(BaseAddress, tenant, token);

    /// <summary>A plain client with the admin key.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        return client;
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartInternalAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        DeleteDataDirectory();
    }

    /// <summary>After a start that failed: the half-built host is dropped (its own error is the one that counts).</summary>
    private async Task AbandonAsync()
    {
        if (app is { } failed)
        {
            app = null;
            try
            {
                await failed.DisposeAsync();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // Disposing a host that never started may fail too; the start's exception is what the test sees.
            }
        }

        DeleteDataDirectory();
    }

    private void DeleteDataDirectory()
    {
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finalising handle; the OS temp cleaner will take it.
        }
    }

    private async Task StartInternalAsync()
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Scim:DataDirectory", dataDirectory,
            "--Scim:AdminKey", AdminKey,
            "--Scim:Bootstrap:Tenant", Tenant,
            "--Scim:Bootstrap:Token", TenantToken,
            "--Scim:CreateDemoTenant", "false",
            "--Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
            .. backendArguments,
            .. extraArguments,
        ];
        app = await ScimApp.BuildAsync(args);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    private async Task StopAsync()
    {
        if (app is null)
        {
            return;
        }

        await app.StopAsync();
        await app.DisposeAsync();
        app = null;
    }
}
