using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// Functions the store registers on its writer connection and on the read connections whose SQL calls them.
/// SQLite's own <c>lower()</c> folds ASCII only; the keys the store writes are folded with
/// <see cref="string.ToLowerInvariant()"/>, so filters fold JSON values the same way.
/// </summary>
internal static class SqliteFunctions
{
    public const string Lower = "scim_lower";

    /// <summary>
    /// Whether <paramref name="sql"/> may call a function of this class (a stray mention only costs a registration).
    /// </summary>
    public static bool IsCalledBy(string sql) => sql.Contains(Lower, StringComparison.OrdinalIgnoreCase);

    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<string?, string?>(Lower, static value => value?.ToLowerInvariant(), isDeterministic: true);
}
