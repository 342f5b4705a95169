using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.Silo.Tests.Hosting;

/// <summary>A temporary SQLite database file and silos (localhost clustering, free ports) that store grain state in it.</summary>
public sealed class SqliteSiloHarness : IAsyncDisposable
{
    private readonly List<IHost> hosts = [];

    public SqliteSiloHarness()
    {
        DatabasePath = Path.Combine(Path.GetTempPath(), $"scim-orleans-state-{Guid.NewGuid():N}.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString();
    }

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    /// <summary>Starts a silo on this database; it is its own single-silo cluster.</summary>
    public async Task<IHost> StartSiloAsync()
    {
        var host = new HostBuilder()
            .UseOrleans(silo => silo
                .UseLocalhostClustering(siloPort: FreeTcpPort(), gatewayPort: FreeTcpPort())
                .AddSqliteGrainStorage(ProbeGrainBase.StorageName, ConnectionString))
            .Build();
        await host.StartAsync();
        hosts.Add(host);
        return host;
    }

    public async Task StopSiloAsync(IHost host)
    {
        hosts.Remove(host);
        await host.StopAsync();
        host.Dispose();
    }

    public static IGrainFactory Grains(IHost host) => host.Services.GetRequiredService<IGrainFactory>();

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts.ToArray())
        {
            await StopSiloAsync(host);
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
