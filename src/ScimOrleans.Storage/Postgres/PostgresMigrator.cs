using Microsoft.Extensions.Logging;
using Npgsql;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Applies the embedded scripts <c>db/postgresql/scim/NNN_name.sql</c> (see <see cref="SchemaMigrator"/>), each in
/// its own transaction together with its row in <c>schema_version</c>. The whole run holds a session-level advisory
/// lock (<see cref="AdvisoryLockKey"/>), so silos starting at once queue behind each other and the later ones find the
/// work done; a script that fails rolls back alone and leaves the earlier ones recorded.
/// </summary>
internal sealed class PostgresMigrator(NpgsqlConnection connection) : IMigrationTarget
{
    /// <summary>The advisory lock key serialising concurrent migrators (arbitrary, unique to this schema).</summary>
    public const long AdvisoryLockKey = 0x5C13_0A1E_5C13_0001;

    private const string ResourcePrefix = "db/postgresql/scim/";

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key);", connection))
        {
            takeLock.Parameters.AddValue("key", AdvisoryLockKey);
            takeLock.CommandTimeout = 0; // wait as long as another migrator needs; cancellation still applies
            await takeLock.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await SchemaMigrator.MigrateAsync(new PostgresMigrator(connection), ResourcePrefix, logger, cancellationToken);
        }
        catch
        {
            // Keep the original error; if the connection is broken the server has already released the lock.
            try
            {
                await ReleaseAsync(connection);
            }
            catch (NpgsqlException)
            {
            }

            throw;
        }

        await ReleaseAsync(connection);
    }

    /// <summary>The embedded scripts this store applies, in order.</summary>
    internal static List<(int Version, string Name)> Scripts() => SchemaMigrator.Scripts(ResourcePrefix);

    public async Task<IReadOnlySet<int>> PrepareAsync(CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL);",
            connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = new NpgsqlCommand("SELECT version FROM schema_version;", connection);
        return await SchemaMigrator.ReadVersionsAsync(select, cancellationToken);
    }

    public async Task ApplyAsync(int version, string name, string script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var run = new NpgsqlCommand(script, connection, transaction))
        {
            await run.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = new NpgsqlCommand(
            "INSERT INTO schema_version (version, name, applied) VALUES (@version, @name, now());", connection, transaction))
        {
            record.Parameters.AddValue("version", version);
            record.Parameters.AddValue("name", name);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A session lock outlives transactions, so it is released before the connection returns to the pool.</summary>
    private static async Task ReleaseAsync(NpgsqlConnection connection)
    {
        await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key);", connection);
        release.Parameters.AddValue("key", AdvisoryLockKey);
        await release.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
