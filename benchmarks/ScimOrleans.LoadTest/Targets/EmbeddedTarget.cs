using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.LoadTest.Targets;

/// <summary>The real ScimOrleans host (ASP.NET Core + Orleans silo + SQLite) started in this process on a loopback port.</summary>
internal sealed class EmbeddedTarget : ILoadTarget
{
    private readonly WebApplication app;
    private readonly string dataDirectory;
    private readonly bool deleteData;

    private EmbeddedTarget(WebApplication app, string dataDirectory, bool deleteData, Uri scimBase, string token)
    {
        this.app = app;
        this.dataDirectory = dataDirectory;
        this.deleteData = deleteData;
        ScimBase = scimBase;
        Token = token;
    }

    public string Name => "embedded";

    public string Description => $"ScimOrleans embedded (one silo, SQLite WAL) in this process, data in {dataDirectory}";

    public Uri ScimBase { get; }

    public string Token { get; }

    public bool InProcess => true;

    public bool SupportsBulk => true;

    /// <summary>
    /// Body limits the embedded server starts with: 16 MiB for <c>Scim:MaxRequestBytes</c> and
    /// <c>Scim:BulkMaxPayloadBytes</c> (defaults 1 MiB), so a <c>--bulk-size</c> of 1,000 Entra-shaped users (~0.6 MB)
    /// or more always fits; <c>Scim:BulkMaxOperations</c> is raised to <c>--bulk-size</c> when that exceeds 1,000.
    /// </summary>
    public const int BodyLimitBytes = 16 * 1024 * 1024;

    public static async Task<EmbeddedTarget> StartAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var deleteData = options.DataDirectory is null && !options.KeepData;
        var directory = options.DataDirectory ?? Directory.CreateTempSubdirectory("scim-load-").FullName;
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Scim:DataDirectory", directory,
            "--Scim:AdminKey", "load-test-admin-key",
            "--Scim:Bootstrap:Tenant", options.Tenant,
            "--Scim:Bootstrap:Token", options.Token,
            "--Scim:CreateDemoTenant", "false",
            "--Orleans:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", FreePort().ToString(CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
            "--Scim:MaxRequestBytes", BodyLimitBytes.ToString(CultureInfo.InvariantCulture),
            "--Scim:BulkMaxPayloadBytes", BodyLimitBytes.ToString(CultureInfo.InvariantCulture),
            "--Scim:BulkMaxOperations", Math.Max(1000, options.BulkSize).ToString(CultureInfo.InvariantCulture),
        ];
        var app = await ScimApp.BuildAsync(args);
        await app.StartAsync(cancellationToken);
        var address = TargetFactory.ListeningAddress(app);
        return new EmbeddedTarget(app, directory, deleteData, new Uri(address, $"scim/v2/{options.Tenant}/"), options.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        if (deleteData)
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
