using System.Globalization;
using Npgsql;
using ScimOrleans.Grains.Membership;
using ScimOrleans.LoadTest.Ceilings;
using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.LoadTest.Targets;

/// <summary>
/// The real ScimOrleans host (ASP.NET Core + Orleans silo) started in this process on a loopback port: embedded mode
/// (SQLite WAL), or cluster mode as one silo on a private PostgreSQL server of its own (<c>cluster</c> target: the
/// same PostgreSQL build and settings as the durable ceiling's, Orleans clustering and grain state in it too).
/// </summary>
internal sealed class EmbeddedTarget : ILoadTarget
{
    private readonly WebApplication app;
    private readonly string dataDirectory;
    private readonly bool deleteData;
    private readonly PostgresInstance? postgres;

    private EmbeddedTarget(string name, WebApplication app, string dataDirectory, bool deleteData, PostgresInstance? postgres, Uri scimBase, string token)
    {
        Name = name;
        this.app = app;
        this.dataDirectory = dataDirectory;
        this.deleteData = deleteData;
        this.postgres = postgres;
        ScimBase = scimBase;
        Token = token;
    }

    public string Name { get; }

    public string Description => postgres is null
        ? $"ScimOrleans embedded (one silo, SQLite WAL) in this process, data in {dataDirectory}"
        : $"ScimOrleans cluster mode (one silo, PostgreSQL {postgres.Durability}) in this process";

    public Uri ScimBase { get; }

    public string Token { get; }

    public bool InProcess => true;

    public bool SupportsBulk => true;

    /// <summary>Every activation idle at this moment is deactivated (Orleans' management grain, this one silo).</summary>
    public Task CollectIdleGrainsAsync() =>
        app.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    public (long Hits, long Misses)? GroupsCacheCounts() => app.Services.GetRequiredService<UserGroupsCache>().Counts;

    /// <summary>
    /// Body limits the embedded server starts with: 16 MiB for <c>Scim:MaxRequestBytes</c> and
    /// <c>Scim:BulkMaxPayloadBytes</c> (defaults 1 MiB), so a <c>--bulk-size</c> of 1,000 Entra-shaped users (~0.6 MB)
    /// or more always fits; <c>Scim:BulkMaxOperations</c> is raised to <c>--bulk-size</c> when that exceeds 1,000.
    /// </summary>
    public const int BodyLimitBytes = 16 * 1024 * 1024;

    public static Task<EmbeddedTarget> StartAsync(LoadOptions options, CancellationToken cancellationToken) =>
        StartAsync("embedded", options, null, [], cancellationToken);

    /// <summary>Cluster mode: one silo on a private PostgreSQL server, started (and removed on dispose) with it.</summary>
    public static async Task<EmbeddedTarget> StartClusterAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var server = await PostgresInstance.StartAsync(options.RelaxedPostgres);
        try
        {
            var database = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "scim" };
            await using (var connection = new NpgsqlConnection(server.ConnectionString))
            {
                await connection.OpenAsync(cancellationToken);
                await using var create = new NpgsqlCommand("CREATE DATABASE scim ENCODING 'UTF8' TEMPLATE template0;", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            string[] cluster =
            [
                "--Scim:Mode", "Cluster",
                "--ConnectionStrings:Scim", database.ConnectionString,
                "--Orleans:ClusterId", "scim-load",
                "--Orleans:ServiceId", "scim-load",
            ];
            return await StartAsync("cluster", options, server, cluster, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<EmbeddedTarget> StartAsync(
        string name, LoadOptions options, PostgresInstance? postgres, string[] modeArguments, CancellationToken cancellationToken)
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
            "--Orleans:SiloPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default", "Warning",
            "--Scim:MaxRequestBytes", BodyLimitBytes.ToString(CultureInfo.InvariantCulture),
            "--Scim:BulkMaxPayloadBytes", BodyLimitBytes.ToString(CultureInfo.InvariantCulture),
            "--Scim:BulkMaxOperations", Math.Max(1000, options.BulkSize).ToString(CultureInfo.InvariantCulture),
            .. modeArguments,
            .. options.ServerSettings.SelectMany(setting => new[] { "--" + setting.Key, setting.Value }),
        ];
        var app = await ScimApp.BuildAsync(args);
        await app.StartAsync(cancellationToken);
        var address = TargetFactory.ListeningAddress(app);
        return new EmbeddedTarget(name, app, directory, deleteData, postgres, new Uri(address, $"scim/v2/{options.Tenant}/"), options.Token);
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

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }
}
