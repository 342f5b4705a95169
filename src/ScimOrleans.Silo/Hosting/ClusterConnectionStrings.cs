using System.Data.Common;
using Npgsql;

namespace ScimOrleans.Silo.Hosting;

/// <summary>
/// The two connection strings a cluster silo derives from <c>ConnectionStrings:Scim</c>: the SCIM store's (its own
/// pool, <see cref="ClusterHosting.DefaultStorePoolSize"/> unless the operator set a size) and the Orleans AdoNet
/// providers' (a separate, small pool, tagged with its own application name so it is visible in pg_stat_activity).
/// The store's pool prepares its frequent statements automatically unless the operator set <c>Max Auto Prepare</c>,
/// and skips the session reset on returning a connection unless the operator set <c>No Reset On Close</c>.
/// </summary>
internal sealed record ClusterConnectionStrings(string Store, string Orleans)
{
    private static readonly string[] PoolSizeKeys = ["maximum pool size", "maxpoolsize"];
    private static readonly string[] AutoPrepareKeys = ["max auto prepare", "maxautoprepare"];
    private static readonly string[] NoResetKeys = ["no reset on close", "noresetonclose"];

    /// <summary>
    /// Statements Npgsql prepares on each pooled connection once they have run twice. The store's write and read paths
    /// use a couple of dozen fixed texts, each otherwise parsed and planned by PostgreSQL on every execution.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 64;

    public static ClusterConnectionStrings From(string configured, int orleansPoolSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configured);
        ArgumentOutOfRangeException.ThrowIfLessThan(orleansPoolSize, 1);

        var raw = new DbConnectionStringBuilder { ConnectionString = configured };
        var poolSizeSet = PoolSizeKeys.Any(raw.ContainsKey);

        var store = new NpgsqlConnectionStringBuilder(configured);
        if (!poolSizeSet)
        {
            store.MaxPoolSize = ClusterHosting.DefaultStorePoolSize;
        }

        if (!AutoPrepareKeys.Any(raw.ContainsKey))
        {
            store.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        // Npgsql resets a pooled connection's session before its next use; with prepared statements it cannot send
        // DISCARD ALL, so it sends seven statements (SET SESSION AUTHORIZATION DEFAULT, RESET ALL, UNLISTEN *,
        // pg_advisory_unlock_all(), CLOSE ALL, DISCARD SEQUENCES, DISCARD TEMP) ahead of the next command, for every
        // use of a pooled connection (a 10k-user load run: 72,508 of each). The store keeps no session state: its
        // advisory locks and settings are transaction-scoped, and the migrator releases its session lock itself.
        if (!NoResetKeys.Any(raw.ContainsKey))
        {
            store.NoResetOnClose = true;
        }

        store.ApplicationName ??= "scimorleans";
        var orleans = new NpgsqlConnectionStringBuilder(store.ConnectionString)
        {
            MaxPoolSize = orleansPoolSize,
            MinPoolSize = 0,
            ApplicationName = store.ApplicationName + "-orleans",
        };
        return new ClusterConnectionStrings(store.ConnectionString, orleans.ConnectionString);
    }
}
