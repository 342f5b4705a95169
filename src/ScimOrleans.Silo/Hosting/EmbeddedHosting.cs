using ScimOrleans.Grains.Tenants;
using ScimOrleans.Storage;
using ScimOrleans.Storage.Sqlite;

namespace ScimOrleans.Silo.Hosting;

/// <summary>Embedded mode: one silo with localhost clustering, the SCIM store and grain state in SQLite files.</summary>
internal static class EmbeddedHosting
{
    /// <summary>Registers the SQLite SCIM store and the single-silo Orleans configuration.</summary>
    public static void AddEmbeddedMode(this WebApplicationBuilder builder, ScimOptions scim, OrleansOptions orleans)
    {
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
    }
}
