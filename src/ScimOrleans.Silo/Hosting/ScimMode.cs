namespace ScimOrleans.Silo.Hosting;

/// <summary>How the silo is deployed.</summary>
public enum ScimMode
{
    /// <summary>One silo, localhost clustering, SQLite files under the data directory.</summary>
    Embedded,

    /// <summary>N silos on one PostgreSQL (AdoNet clustering, persistence and reminders).</summary>
    Cluster,
}
