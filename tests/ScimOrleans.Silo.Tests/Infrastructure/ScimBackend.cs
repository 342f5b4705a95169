namespace ScimOrleans.Silo.Tests.Infrastructure;

/// <summary>The storage a <see cref="ScimServer"/> runs on.</summary>
public enum ScimBackend
{
    /// <summary>Embedded mode: one silo on SQLite files in a temporary directory.</summary>
    Sqlite,

    /// <summary>Cluster mode with a single silo on a fresh PostgreSQL database of the shared <c>PostgresServer</c>.</summary>
    Postgres,
}
