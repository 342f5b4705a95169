using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage;

/// <summary>
/// Where a keyset (cursor) page starts: strictly after the row whose sort key, creation time and id are these, in
/// the query's order. Rows are ordered by (sort key, missing keys last; created; id), and <c>created</c> and <c>id</c>
/// never change, so a walk of pages neither repeats nor skips a row that exists for the whole walk, whatever is
/// created or deleted meanwhile.
/// </summary>
/// <param name="Key">
/// The sort key of that row exactly as the store compares it (lower-cased text for case-insensitive attributes, a
/// number, a boolean, a digits-only time key for dateTime attributes, microseconds for <c>meta</c> times); null when
/// the query has no sortBy or the row had no value.
/// </param>
/// <param name="CreatedMicroseconds">The row's <c>meta.created</c> as UTC microseconds since the Unix epoch.</param>
/// <param name="Id">The row's id.</param>
public sealed record KeysetPosition(JsonValue? Key, long CreatedMicroseconds, string Id)
{
    /// <summary>
    /// The position just after <paramref name="row"/> for a query sorted by <paramref name="sort"/> (null: the default
    /// order). <paramref name="schema"/> is the schema the query passes in <see cref="ResourceQuery.Schema"/>.
    /// </summary>
    public static KeysetPosition After(ResourceRow row, SortSpec? sort, ResourceSchema? schema)
    {
        ArgumentNullException.ThrowIfNull(row);
        var key = sort is null ? null : SortKeyReader.Read(row, SortTarget.Resolve(row.Kind, schema, sort.Path));
        return new KeysetPosition(key, StoreTime.ToUnixMicroseconds(row.Created), row.Id);
    }
}
