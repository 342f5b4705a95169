using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace ScimOrleans.Silo.Hosting;

/// <summary>
/// Orleans grain persistence on a SQLite database (embedded mode), through the AdoNet grain storage provider.
/// </summary>
/// <remarks>
/// The AdoNet provider only knows SQLite under the invariant <see cref="AdoNetInvariant"/>; the driver behind it is
/// Microsoft.Data.Sqlite. The schema (<c>db/sqlite/orleans/persistence.sql</c>, embedded in ScimOrleans.Storage) is
/// applied idempotently when the silo starts, before the provider loads its queries. State is stored as plain
/// System.Text.Json documents. Grain keys must contain a <c>/</c> and every grain class must use its own state
/// name (see docs/adr/0001-orleans-adonet-schemas.md).
/// </remarks>
public static class SqliteGrainStorage
{
    /// <summary>The ADO.NET invariant the AdoNet providers accept for SQLite.</summary>
    public const string AdoNetInvariant = "System.Data.SQLite";

    /// <summary>Registers a named grain storage provider that keeps grain state in a SQLite database.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The storage provider name, as used in <c>[PersistentState(stateName, name)]</c>.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=state.db</c>.</param>
    /// <returns>The same silo builder.</returns>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        DbProviderFactories.RegisterFactory(AdoNetInvariant, SqliteFactory.Instance);

        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(
            new SqliteGrainStorageSchemaInstaller(connectionString));

        builder.AddAdoNetGrainStorage(name, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
            options.Configure<IServiceProvider>((storage, services) =>
            {
                storage.Invariant = AdoNetInvariant;
                storage.ConnectionString = connectionString;
                storage.GrainStorageSerializer =
                    ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(services);
            }));

        return builder;
    }
}
