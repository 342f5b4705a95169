using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Installs the tables and the <c>OrleansQuery</c> rows that the Orleans AdoNet clustering, grain persistence and
/// reminder providers (invariant <c>"Npgsql"</c>) need, from the scripts embedded under
/// <c>db/postgresql/orleans/</c>.
/// </summary>
/// <remarks>
/// Idempotent and safe to call from several silos starting at once: all scripts run in one transaction that first
/// takes a transaction-scoped PostgreSQL advisory lock (<see cref="AdvisoryLockKey"/>), so installers queue behind
/// each other and either all objects and query rows are in place or none are. Call it before the silo starts (the
/// providers read their queries during silo start-up). Requires PostgreSQL 15 or newer.
/// </remarks>
public static class OrleansPostgresSchema
{
    /// <summary>The advisory lock key serialising concurrent installers (arbitrary, unique to this schema).</summary>
    public const long AdvisoryLockKey = 0x5C13_0A1E_A0D0_0001;

    /// <summary>The embedded scripts, in the order they are applied.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } =
    [
        "db/postgresql/orleans/01_main.sql",
        "db/postgresql/orleans/02_clustering.sql",
        "db/postgresql/orleans/03_persistence.sql",
        "db/postgresql/orleans/04_reminders.sql",
    ];

    /// <summary>The query keys the scripts register in <c>OrleansQuery</c>, i.e. every query the providers load.</summary>
    public static IReadOnlyList<string> QueryKeys { get; } =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    /// <summary>Applies the schema to the database a connection string points at.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock or the installation (which then rolls back).</param>
    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ApplyAsync(connection, cancellationToken);
    }

    /// <summary>Applies the schema through an open connection that has no transaction in progress.</summary>
    /// <param name="connection">An open connection; left open.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock or the installation (which then rolls back).</param>
    public static async Task ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            takeLock.Parameters.AddWithValue("key", AdvisoryLockKey);
            takeLock.CommandTimeout = 0; // wait as long as another installer needs; cancellation still applies
            await takeLock.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var scriptName in ScriptNames)
        {
            await using var script = new NpgsqlCommand(SqlScripts.Read(scriptName), connection, transaction);
            await script.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
