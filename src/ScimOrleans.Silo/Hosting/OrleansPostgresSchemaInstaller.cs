using ScimOrleans.Storage.Postgres;

namespace ScimOrleans.Silo.Hosting;

/// <summary>Runs <see cref="OrleansPostgresSchema.ApplyAsync(string, CancellationToken)"/> first thing in silo start-up.</summary>
internal sealed class OrleansPostgresSchemaInstaller(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(
            nameof(OrleansPostgresSchemaInstaller),
            ServiceLifecycleStage.First,
            cancellationToken => OrleansPostgresSchema.ApplyAsync(connectionString, cancellationToken));
    }
}
