namespace ScimOrleans.Storage.Sql;

/// <summary>
/// An engine's side of <see cref="SchemaMigrator"/>: the <c>schema_version</c> table in its types, and how a script
/// runs. The engine also holds whatever serialises concurrent migrators for the whole run.
/// </summary>
internal interface IMigrationTarget
{
    /// <summary>Creates <c>schema_version</c> if it is missing and returns the versions it records.</summary>
    Task<IReadOnlySet<int>> PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Runs one script and records it in <c>schema_version</c>: both or neither.</summary>
    Task ApplyAsync(int version, string name, string script, CancellationToken cancellationToken);
}
