using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// Functions the store registers on its writer connection and on each read session (once: sessions stay open).
/// SQLite's own <c>lower()</c> folds ASCII only; the keys the store writes are folded with
/// <see cref="string.ToLowerInvariant()"/>, so filters fold JSON values the same way.
/// </summary>
internal static class SqliteFunctions
{
    public const string Lower = "scim_lower";

    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<string?, string?>(Lower, static value => value?.ToLowerInvariant(), isDeterministic: true);
}
