using Npgsql;

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
}
