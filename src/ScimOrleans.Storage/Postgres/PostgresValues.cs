using Npgsql;
using NpgsqlTypes;

namespace ScimOrleans.Storage.Postgres;

/// <summary>How the store binds values.</summary>
internal static class PostgresValues
{
    /// <summary>
    /// A time as the store binds it: truncated to the microsecond and UTC. Truncated here because Npgsql converts ticks
    /// to PostgreSQL's microseconds by integer division from 2000-01-01, which rounds earlier instants up, not down.
    /// </summary>
    public static DateTime Time(DateTimeOffset value) => StoreTime.Truncate(value).UtcDateTime;

    /// <summary>Adds a parameter; null becomes SQL NULL. (Not named Add: a literal 0 would bind to Add(string, NpgsqlDbType).)</summary>
    public static void AddValue(this NpgsqlParameterCollection parameters, string name, object? value) =>
        parameters.AddWithValue(name, value ?? DBNull.Value);

    /// <summary>
    /// Adds a text parameter whose type does not depend on its value. An untyped null is sent with an unknown type, so
    /// a statement bound once with a string and once with null has two parameter signatures: Npgsql then prepares it
    /// again each time the signature changes, and PostgreSQL plans it again (a user update: 4 in 10 executions).
    /// </summary>
    public static void AddValue(this NpgsqlParameterCollection parameters, string name, string? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    /// <summary>Adds a boolean parameter whose type does not depend on its value (see the text overload).</summary>
    public static void AddValue(this NpgsqlParameterCollection parameters, string name, bool? value) =>
        parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Boolean) { Value = (object?)value ?? DBNull.Value });
}
