using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using ScimOrleans.Grains.Tenants;
using ScimOrleans.Storage;
using ScimOrleans.Storage.Postgres;

namespace ScimOrleans.Silo.Hosting;

/// <summary>
/// Cluster mode: N silos on one PostgreSQL database. Orleans membership, grain state and reminders use the AdoNet
/// providers (invariant <c>Npgsql</c>) on the project's own schema, which the silo installs itself as its first
/// start-up step; the SCIM store is <see cref="PostgresScimStore"/> on one <see cref="NpgsqlDataSource"/> per silo.
/// See docs/adr/0003-cluster-mode-on-postgresql.md.
/// </summary>
internal static class ClusterHosting
{
    /// <summary>The connection string name: <c>ConnectionStrings:Scim</c> (environment <c>ConnectionStrings__Scim</c>).</summary>
    public const string ConnectionStringName = "Scim";

    /// <summary>The ADO.NET invariant the Orleans AdoNet providers know PostgreSQL by.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>The SCIM store's pool size when the connection string does not set <c>Maximum Pool Size</c>.</summary>
    public const int DefaultStorePoolSize = 20;

    /// <summary>Registers the PostgreSQL SCIM store and the AdoNet-clustered Orleans configuration.</summary>
    public static void AddClusterMode(this WebApplicationBuilder builder, OrleansOptions orleans)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                "Scim:Mode is Cluster but no PostgreSQL connection string is configured: set ConnectionStrings__Scim " +
                "(e.g. \"Host=db;Database=scim;Username=scim;Password=…\").");
        }

        var connections = ClusterConnectionStrings.From(configured, orleans.AdoNetPoolSize);

        // One data source (one pool) per silo for everything in the app that talks to the SCIM database; the
        // container disposes it after the store is gone.
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connections.Store));
        builder.Services.AddSingleton(services => new PostgresStoreOptions(services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<IScimStore>(services => new PostgresScimStore(
            services.GetRequiredService<PostgresStoreOptions>(), services.GetRequiredService<ILogger<PostgresScimStore>>()));

        var advertised = ResolveAdvertisedAddress(orleans.AdvertisedIPAddress);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = orleans.ClusterId;
                cluster.ServiceId = orleans.ServiceId;
            });
            silo.ConfigureEndpoints(advertised, orleans.SiloPort, orleans.GatewayPort, orleans.ListenOnAnyHostAddress);

            // First lifecycle stage, before the providers below read their queries from OrleansQuery.
            silo.AddOrleansPostgresSchema(connections.Orleans);
            silo.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = AdoNetInvariant;
                clustering.ConnectionString = connections.Orleans;
            });
            silo.AddAdoNetGrainStorage(StorageNames.Scim, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
                options.Configure<IServiceProvider>((storage, services) =>
                {
                    storage.Invariant = AdoNetInvariant;
                    storage.ConnectionString = connections.Orleans;
                    storage.GrainStorageSerializer =
                        ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(services);
                }));
            silo.UseAdoNetReminderService(reminders =>
            {
                reminders.Invariant = AdoNetInvariant;
                reminders.ConnectionString = connections.Orleans;
            });
        });
    }

    /// <summary>The address published in the membership table (see <see cref="OrleansOptions.AdvertisedIPAddress"/>).</summary>
    internal static IPAddress ResolveAdvertisedAddress(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(configured, out var address))
        {
            return address;
        }

        var host = string.Equals(configured, OrleansOptions.AutomaticAddress, StringComparison.OrdinalIgnoreCase)
            ? Dns.GetHostName()
            : configured;
        var candidates = Dns.GetHostAddresses(host).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();
        return candidates.FirstOrDefault(a => !IPAddress.IsLoopback(a))
            ?? candidates.FirstOrDefault()
            ?? throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{configured}' resolves to no IPv4 address.");
    }
}
