using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.Cluster.Tests;

/// <summary>Silos clustered through the AdoNet providers on one PostgreSQL database; stops them all on dispose.</summary>
public sealed class PostgresSilos(string connectionString) : IAsyncDisposable
{
    public const string Invariant = "Npgsql";

    private readonly List<IHost> hosts = [];

    public string ConnectionString { get; } = connectionString;

    /// <summary>Starts a silo on 127.0.0.1; it installs the Orleans schema itself as its first start-up step.</summary>
    public async Task<IHost> StartSiloAsync(string clusterId, string serviceId = "scim-cluster-tests")
    {
        var host = new HostBuilder()
            .UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
                    options.ServiceId = serviceId;
                });
                silo.AddOrleansPostgresSchema(ConnectionString);
                silo.ConfigureEndpoints(IPAddress.Loopback, FreeTcpPort(), FreeTcpPort(), listenOnAnyHostAddress: false);
                silo.UseAdoNetClustering(options =>
                {
                    options.Invariant = Invariant;
                    options.ConnectionString = ConnectionString;
                });
                silo.AddAdoNetGrainStorage(ClusterProbeGrain.StorageName, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
                    options.Configure<IServiceProvider>((storage, services) =>
                    {
                        storage.Invariant = Invariant;
                        storage.ConnectionString = ConnectionString;
                        storage.GrainStorageSerializer =
                            ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(services);
                    }));
                silo.UseAdoNetReminderService(options =>
                {
                    options.Invariant = Invariant;
                    options.ConnectionString = ConnectionString;
                });
                silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            })
            .Build();

        lock (hosts)
        {
            hosts.Add(host);
        }

        await host.StartAsync();
        return host;
    }

    /// <summary>Stops one silo gracefully (it leaves the cluster: its membership row goes to Dead).</summary>
    public async Task StopSiloAsync(IHost host)
    {
        lock (hosts)
        {
            hosts.Remove(host);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }

    public static IGrainFactory Grains(IHost host) => host.Services.GetRequiredService<IGrainFactory>();

    public static string SiloAddress(IHost host) =>
        host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        IHost[] running;
        lock (hosts)
        {
            running = [.. hosts];
            hosts.Clear();
        }

        // Stop the silos together: a silo stopping alone waits for the others to acknowledge its departure.
        await Task.WhenAll(running.Select(async host =>
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.StopAsync(timeout.Token);
            host.Dispose();
        }));
    }

    /// <summary>
    /// Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; an exception counts as
    /// "not yet" (e.g. a call racing a silo's departure).
    /// </summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (Exception) when (DateTime.UtcNow <= deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
