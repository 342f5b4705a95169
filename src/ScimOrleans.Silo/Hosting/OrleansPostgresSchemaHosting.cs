using Microsoft.Extensions.DependencyInjection;

namespace ScimOrleans.Silo.Hosting;

/// <summary>Installs the Orleans AdoNet schema on PostgreSQL (cluster mode) as part of silo start-up.</summary>
public static class OrleansPostgresSchemaHosting
{
    /// <summary>
    /// Applies <see cref="Storage.Postgres.OrleansPostgresSchema"/> to the database at the very first silo lifecycle
    /// stage, before the AdoNet clustering, grain storage and reminder providers load their queries. Safe when
    /// several silos start at once (the installer serialises on an advisory lock and is idempotent).
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="connectionString">The Npgsql connection string the AdoNet providers use.</param>
    /// <returns>The same silo builder.</returns>
    public static ISiloBuilder AddOrleansPostgresSchema(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(
            new OrleansPostgresSchemaInstaller(connectionString));
        return builder;
    }
}
