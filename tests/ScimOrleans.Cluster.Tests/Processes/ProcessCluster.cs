using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;

namespace ScimOrleans.Cluster.Tests.Processes;

/// <summary>
/// A ScimOrleans cluster of real silo processes on one PostgreSQL database, configured through the documented
/// environment keys (<c>Scim__Mode=Cluster</c>, <c>ConnectionStrings__Scim</c>, <c>Orleans__*</c>, bootstrap keys
/// set identically on every silo). Disposing kills whatever is still running.
/// </summary>
internal sealed class ProcessCluster(string connectionString, IReadOnlyDictionary<string, string>? overrides = null) : IAsyncDisposable
{
    public const string Tenant = "acme";
    public const string TenantToken = "acme-cluster-token";
    public const string AdminKey = "cluster-admin-key";

    /// <summary>Start-up of a silo process on a busy 2-core machine, including the schema installation it queues for.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<SiloProcess> silos = [];
    private readonly Lock gate = new();
    private int started;

    public string ConnectionString { get; } = connectionString;

    public string ClusterId { get; } = $"c{Guid.NewGuid():N}"[..12];

    public string ServiceId { get; } = "scim-process-tests";

    /// <summary>Every silo ever started by this cluster (killed or stopped ones included), in start order.</summary>
    public IReadOnlyList<SiloProcess> Silos
    {
        get
        {
            lock (gate)
            {
                return [.. silos];
            }
        }
    }

    /// <summary>Starts <paramref name="count"/> silos at once (they race on schema installation and bootstrap) and waits until all are ready.</summary>
    public async Task<IReadOnlyList<SiloProcess>> StartSilosAsync(int count)
    {
        var starting = Enumerable.Range(0, count).Select(_ => StartSilo()).ToList();
        await Task.WhenAll(starting.Select(silo => silo.WaitReadyAsync(StartTimeout)));
        return starting;
    }

    /// <summary>Starts one silo without waiting for it.</summary>
    public SiloProcess StartSilo()
    {
        var index = Interlocked.Increment(ref started);
        var silo = SiloProcess.Start($"silo{index}", Environment());
        lock (gate)
        {
            silos.Add(silo);
        }

        return silo;
    }

    /// <summary>The configuration every silo gets, as environment variables.</summary>
    public Dictionary<string, string> Environment()
    {
        var environment = new Dictionary<string, string>
        {
            ["Scim__Mode"] = "Cluster",
            ["ConnectionStrings__Scim"] = ConnectionString,
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = ServiceId,
            ["Scim__AdminKey"] = AdminKey,
            ["Scim__Bootstrap__Tenant"] = Tenant,
            ["Scim__Bootstrap__Token"] = TenantToken,
            ["Scim__ShutdownTimeoutSeconds"] = "20",
            // Failure detection in a few seconds rather than the production ~15 s, and grain calls that cannot hang
            // a test: behaviour is the same, only the waits are shorter.
            ["Orleans__Membership__ProbeTimeout"] = "00:00:02",
            ["Orleans__Membership__NumMissedProbesLimit"] = "2",
            ["Orleans__Messaging__ResponseTimeout"] = "00:00:10",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
            ["Logging__LogLevel__ScimOrleans"] = "Information",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            if (value.Length == 0)
            {
                environment.Remove(key);
            }
            else
            {
                environment[key] = value;
            }
        }

        return environment;
    }

    /// <summary>An Orleans client on this cluster (through the membership table's gateways), for management queries.</summary>
    public async Task<IHost> ConnectClientAsync()
    {
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = ClusterId;
                    options.ServiceId = ServiceId;
                });
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = "Npgsql";
                    options.ConnectionString = ConnectionString;
                });
            })
            .Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Runs a scalar SQL query against the cluster's database.</summary>
    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The output of every silo, for failure messages.</summary>
    public string Logs(int linesPerSilo = 40) =>
        string.Join("\n", Silos.Select(s => $"----- {s.Name} ({(s.HasExited ? $"exited {s.ExitCode}" : "running")}) -----\n{s.Tail(linesPerSilo)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
    }
}
