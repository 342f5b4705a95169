using Microsoft.Data.Sqlite;
using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>Maps constraint violations of a resource insert/update onto the store's contract exceptions.</summary>
internal static class SqliteConstraintErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    /// <summary>The contract exception for <paramref name="error"/>, or null when it is not a known constraint.</summary>
    public static Exception? Translate(SqliteException error, ResourceRow row)
    {
        if (error.SqliteErrorCode != SqliteConstraint)
        {
            return null;
        }

        if (error.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey)
        {
            return new StoreConcurrencyException($"{row.Kind} '{row.Id}' already exists.", error);
        }

        if (error.SqliteExtendedErrorCode != SqliteConstraintUnique)
        {
            return null;
        }

        // The message names the index columns ("UNIQUE constraint failed: resources.tenant_id, resources.user_name_key").
        if (error.Message.Contains("user_name_key", StringComparison.Ordinal))
        {
            return ScimException.Uniqueness($"userName '{row.Indexed.UserName}' is already taken.");
        }

        if (error.Message.Contains("display_name_key", StringComparison.Ordinal))
        {
            return ScimException.Uniqueness($"displayName '{row.Indexed.DisplayName}' is already taken.");
        }

        return null;
    }
}
