using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>Connection strings for the SQLite SCIM store.</summary>
public static class SqliteConnectionStrings
{
    /// <summary>
    /// A pooled, read-write-create connection to a database file with foreign keys on and a 30 s command timeout
    /// (Microsoft.Data.Sqlite retries busy/locked statements until then). The store adds journal_mode=WAL,
    /// synchronous=NORMAL and busy_timeout when it opens the file.
    /// </summary>
    public static string ForFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>
    /// A named in-memory database shared by every connection of this process that uses the same name
    /// (<c>file:NAME?mode=memory&amp;cache=shared</c>). It exists while at least one connection is open: the store keeps
    /// its writer connection open until it is disposed.
    /// </summary>
    public static string ForSharedMemory(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new SqliteConnectionStringBuilder
        {
            DataSource = $"file:{Uri.EscapeDataString(name)}?mode=memory&cache=shared",
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }
}
