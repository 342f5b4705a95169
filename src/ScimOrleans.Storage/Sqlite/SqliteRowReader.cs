using Microsoft.Data.Sqlite;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>Materialises rows selected with <see cref="Sql.ResourceColumns.SelectList"/>.</summary>
internal static class SqliteRowReader
{
    public static ResourceRow Read(SqliteDataReader reader) => new(
        TenantId: reader.GetString(0),
        Kind: (ResourceKind)reader.GetInt32(1),
        Id: reader.GetString(2),
        Version: reader.GetInt64(3),
        Json: reader.GetString(4),
        Created: StoreTime.FromUnixMicroseconds(reader.GetInt64(5)),
        LastModified: StoreTime.FromUnixMicroseconds(reader.GetInt64(6)),
        Indexed: new IndexedAttributes(
            UserName: NullableString(reader, 7),
            ExternalId: NullableString(reader, 8),
            DisplayName: NullableString(reader, 9),
            Active: reader.IsDBNull(10) ? null : reader.GetInt64(10) != 0,
            WorkEmail: NullableString(reader, 11)));

    public static string? NullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
