using System.Data.Common;

namespace ScimOrleans.Storage.Postgres;

/// <summary>Materialises resource rows and feed events read from PostgreSQL.</summary>
internal static class PostgresRowReader
{
    /// <summary>
    /// The columns a <see cref="ResourceRow"/> is built from, in reading order, over the alias <c>r</c>. Same order as
    /// <see cref="Sql.ResourceColumns.SelectList"/>, but the JSON comes from <c>json_text</c> (the exact text written),
    /// not from the parsed <c>json</c> column the filters read.
    /// </summary>
    public const string ResourceSelectList =
        "r.tenant_id, r.kind, r.id, r.version, r.json_text, r.created, r.last_modified, r.user_name, r.external_id, r.display_name, r.active, r.work_email";

    /// <summary>The feed columns <see cref="ReadEvent"/> expects, in reading order.</summary>
    public const string EventSelectList = "position, type, resource_kind, resource_id, occurred_at, data";

    public static ResourceRow ReadResource(DbDataReader reader) => new(
        TenantId: reader.GetString(0),
        Kind: (ResourceKind)reader.GetInt32(1),
        Id: reader.GetString(2),
        Version: reader.GetInt64(3),
        Json: reader.GetString(4),
        Created: reader.GetFieldValue<DateTimeOffset>(5),
        LastModified: reader.GetFieldValue<DateTimeOffset>(6),
        Indexed: new IndexedAttributes(
            UserName: NullableString(reader, 7),
            ExternalId: NullableString(reader, 8),
            DisplayName: NullableString(reader, 9),
            Active: reader.IsDBNull(10) ? null : reader.GetBoolean(10),
            WorkEmail: NullableString(reader, 11)));

    public static StoredEvent ReadEvent(DbDataReader reader) => new(
        Sequence: reader.GetInt64(0),
        Type: reader.GetString(1),
        ResourceKind: (ResourceKind)reader.GetInt32(2),
        ResourceId: reader.GetString(3),
        OccurredAt: reader.GetFieldValue<DateTimeOffset>(4),
        DataJson: NullableString(reader, 5));

    public static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
