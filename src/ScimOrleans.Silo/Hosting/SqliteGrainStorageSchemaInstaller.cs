namespace ScimOrleans.Silo.Hosting;

/// <summary>
/// Applies the SQLite grain-state schema early in silo start-up, before any AdoNet grain storage provider reads its
/// queries from <c>OrleansQuery</c> (they initialise at <see cref="ServiceLifecycleStage.ApplicationServices"/>).
/// </summary>
internal sealed class SqliteGrainStorageSchemaInstaller(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(
            nameof(SqliteGrainStorageSchemaInstaller),
            ServiceLifecycleStage.RuntimeInitialize,
            cancellationToken => SqliteGrainStorageSchema.ApplyAsync(connectionString, cancellationToken));
    }
}
