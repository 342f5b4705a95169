using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ScimOrleans.Silo.Hosting;
using ScimOrleans.Storage;

namespace ScimOrleans.Benchmarks.Macro;

/// <summary>
/// The real embedded host (ASP.NET Core + Orleans silo + SQLite files in a temp directory) on a loopback port, with
/// the bootstrap tenant <see cref="Tenant"/>, as the end-to-end tests start it.
/// </summary>
public sealed class MacroHost : IAsyncDisposable
{
    public const string Tenant = "bench";
    public const string Token = "bench-token";

    private readonly WebApplication app;
    private readonly string directory;

    private MacroHost(WebApplication app, string directory, HttpClient http)
    {
        this.app = app;
        this.directory = directory;
        Http = http;
    }

    /// <summary>A client whose base address is the tenant's SCIM base (…/scim/v2/bench/), one connection per concurrent caller.</summary>
    public HttpClient Http { get; }

    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    public IScimStore Store => app.Services.GetRequiredService<IScimStore>();

    public static async Task<MacroHost> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("scim-bench-").FullName;
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Scim:DataDirectory", directory,
            "--Scim:AdminKey", "bench-admin-key",
            "--Scim:Bootstrap:Tenant", Tenant,
            "--Scim:Bootstrap:Token", Token,
            "--Scim:CreateDemoTenant", "false",
            "--Orleans:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", FreePort().ToString(CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",

            // 16 MiB bodies (defaults 1 MiB) so a /Bulk of CreateUserBenchmarks.Batch creates always fits.
            "--Scim:MaxRequestBytes", "16777216",
            "--Scim:BulkMaxPayloadBytes", "16777216",
        ];
        var app = await ScimApp.BuildAsync(args);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(address, $"scim/v2/{Tenant}/"),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await app.Services.GetRequiredService<IScimStore>().CreateTenantAsync(Tenant, DateTimeOffset.UtcNow);
        return new MacroHost(app, directory, http);
    }

    /// <summary>Sends a SCIM JSON request and fails loudly on an unexpected status.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/scim+json");
        }

        var response = await Http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}, expected {(int)expected}: {body}");
        }

        return response;
    }

    /// <summary>Runs <paramref name="count"/> operations with <paramref name="concurrency"/> callers, like the load driver's clients.</summary>
    public static Task RunConcurrentlyAsync(int count, int concurrency, Func<int, Task> operation) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) => await operation(i));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
