using Microsoft.Data.Sqlite;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Hosting;

/// <summary>Applies <c>db/sqlite/orleans/persistence.sql</c> to a SQLite database; safe to repeat.</summary>
internal static class SqliteGrainStorageSchema
{
    /// <summary>The embedded script's logical name.</summary>
    public const string ScriptName = "db/sqlite/orleans/persistence.sql";

    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var script = SqlScripts.Read(ScriptName);

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // WAL lets the provider's readers run beside a writer. It is a property of the database file, so it is
        // set outside the transaction; for in-memory databases SQLite ignores it.
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = script;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
