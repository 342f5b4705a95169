using Npgsql;
using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Storage.Postgres;

/// <summary>Maps PostgreSQL errors of a commit onto the store's contract exceptions.</summary>
internal static class PostgresErrors
{
    /// <summary>The constraint names below are declared in <c>db/postgresql/scim/001_initial.sql</c>.</summary>
    private const string PrimaryKey = "pk_resources";
    private const string UserNameIndex = "ux_resources_user_name";
    private const string DisplayNameIndex = "ux_resources_group_display_name";

    /// <summary>
    /// The contract exception for an error writing <paramref name="row"/>, or null when it is not one the contract
    /// names: a taken id (a concurrency failure), a taken userName/displayName (409), or text PostgreSQL cannot store
    /// (U+0000 anywhere, or as a JSON escape), which is the client's invalid value rather than a server fault.
    /// </summary>
    public static Exception? Translate(PostgresException error, ResourceRow row) => error.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation when error.ConstraintName == PrimaryKey =>
            new StoreConcurrencyException($"{row.Kind} '{row.Id}' already exists.", error),
        PostgresErrorCodes.UniqueViolation when error.ConstraintName == UserNameIndex =>
            ScimException.Uniqueness($"userName '{row.Indexed.UserName}' is already taken."),
        PostgresErrorCodes.UniqueViolation when error.ConstraintName == DisplayNameIndex =>
            ScimException.Uniqueness($"displayName '{row.Indexed.DisplayName}' is already taken."),
        PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter =>
            ScimException.InvalidValue("A value contains a character that cannot be stored (U+0000)."),
        _ => null,
    };

    /// <summary>The message <c>scim_require_row</c> raises (db/postgresql/scim/001_initial.sql).</summary>
    private const string StaleRowMessage = "the row to update is not at its expected version";

    /// <summary>
    /// Whether <c>scim_require_row</c> failed a single-trip batch: the row is missing or at another version (or, for a
    /// group edit, a member to add does not exist). Nothing was written; the general commit path decides.
    /// </summary>
    public static bool IsStaleRow(PostgresException error) =>
        error is { SqlState: PostgresErrorCodes.SerializationFailure, MessageText: StaleRowMessage };

    /// <summary>
    /// Whether PostgreSQL aborted the transaction only to break a deadlock or a serialization conflict: nothing was
    /// written, and the same commit can simply run again.
    /// </summary>
    public static bool IsRetryable(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };
}
