using Microsoft.Extensions.Logging;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// Applies the embedded scripts <c>db/sqlite/scim/NNN_name.sql</c> (see <see cref="SchemaMigrator"/>). Everything
/// runs in one <c>BEGIN IMMEDIATE</c> transaction, so concurrent migrators (other processes on the same file) queue on
/// the write lock and the second one finds the work done.
/// </summary>
internal sealed class SqliteMigrator(SqliteWriteContext context) : IMigrationTarget
{
    private const string ResourcePrefix = "db/sqlite/scim/";

    public static Task MigrateAsync(SqliteWriter writer, ILogger logger, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(async (context, ct) =>
        {
            await SchemaMigrator.MigrateAsync(new SqliteMigrator(context), ResourcePrefix, logger, ct);
            return new UnitOutcome<bool>(true, Keep: true);
        }, cancellationToken);

    public async Task<IReadOnlySet<int>> PrepareAsync(CancellationToken cancellationToken)
    {
        await using (var create = context.Command(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL);"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = context.Command("SELECT version FROM schema_version;");
        return await SchemaMigrator.ReadVersionsAsync(select, cancellationToken);
    }

    /// <remarks>Inside the run's one transaction: a failing script rolls back the whole run.</remarks>
    public async Task ApplyAsync(int version, string name, string script, CancellationToken cancellationToken)
    {
        await using (var run = context.Command(script))
        {
            await run.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var record = context.Command("INSERT INTO schema_version (version, name, applied) VALUES (@v, @n, @a);");
        record.Parameters.AddWithValue("@v", version);
        record.Parameters.AddWithValue("@n", name);
        record.Parameters.AddWithValue("@a", StoreTime.ToUnixMicroseconds(DateTimeOffset.UtcNow));
        await record.ExecuteNonQueryAsync(cancellationToken);
    }
}
