namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// Configuration of <see cref="SqliteScimStore"/>. Build <see cref="ConnectionString"/> with
/// <see cref="SqliteConnectionStrings"/>; the store itself switches file databases to WAL with synchronous=NORMAL and
/// sets busy_timeout on its connections (those are pragmas, not connection-string keywords).
/// </summary>
public sealed record SqliteStoreOptions(string ConnectionString)
{
    /// <summary>How long a connection waits for a lock held by another connection or process.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Read connections kept open between reads, with their compiled statements. Reads beyond it still run, on
    /// connections closed afterwards; about as many as reads run at once under load is right.
    /// </summary>
    public int MaxIdleReaders { get; init; } = 64;

    /// <summary>Options for a database file (created if missing).</summary>
    public static SqliteStoreOptions ForFile(string path) => new(SqliteConnectionStrings.ForFile(path));

    /// <summary>Options for a named in-memory database shared by the store's connections; it lives as long as the store.</summary>
    public static SqliteStoreOptions ForSharedMemory(string name) => new(SqliteConnectionStrings.ForSharedMemory(name));
}
