using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>Sort keys and the keyset (cursor) condition.</summary>
internal sealed partial class QuerySqlTranslator
{
    /// <summary>
    /// A never-NULL predicate selecting the rows strictly after <paramref name="after"/> in the order
    /// <see cref="OrderBy"/> produces for <paramref name="sort"/>. A position whose key cannot belong to this order
    /// (a tampered or foreign cursor) throws 400 invalidCursor.
    /// </summary>
    public string Keyset(SortSpec? sort, KeysetPosition after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var created = _parameters.Add(_dialect.TimeValue(after.CreatedMicroseconds));
        var id = _parameters.Add(after.Id);
        var tail = $"({Row}.created > {created} OR ({Row}.created = {created} AND {Row}.id > {id}))";
        if (sort is null)
        {
            return after.Key is null ? tail : throw ForeignCursor();
        }

        var target = SortTarget.Resolve(_kind, _catalog, sort.Path);
        var key = SortKey(target);
        if (after.Key is null)
        {
            // Rows without a value come last, in (created, id) order.
            return $"({key} IS NULL AND {tail})";
        }

        var position = _parameters.Add(KeyParameter(target, after.Key));
        var beyond = sort.Descending ? "<" : ">";
        return $"({key} IS NULL OR ({key} IS NOT NULL AND ({key} {beyond} {position} OR ({key} = {position} AND {tail}))))";
    }

    private string SortKey(AttributePath path) => SortKey(SortTarget.Resolve(_kind, _catalog, path));

    /// <summary>The SQL sort key; <see cref="SortKeyReader"/> computes the same value in memory.</summary>
    private string SortKey(SortTarget target)
    {
        var value = target.Source switch
        {
            SortSource.Column => Row + "." + target.Column,
            SortSource.JsonScalar => _dialect.JsonValue(Json, JsonPath(target.Path), Extracted(target.Type)),
            _ => _dialect.FirstElementValue(
                Json,
                JsonPath(target.Path),
                NextAlias(),
                target.SubAttribute is null ? null : JsonPath([target.SubAttribute]),
                Extracted(target.Type)),
        };

        if (target.IsJsonTime)
        {
            return TimeKeys.Sql(value);
        }

        return target.FoldsCase ? _dialect.Lower(value) : value;
    }

    /// <summary>The cursor's key as a parameter of the type the sort key has.</summary>
    private object KeyParameter(SortTarget target, JsonValue key)
    {
        var kind = key.GetValueKind();
        if (target.IsTime)
        {
            return kind == JsonValueKind.Number && key.TryGetValue<long>(out var micros) ? _dialect.TimeValue(micros) : throw ForeignCursor();
        }

        return target.Type switch
        {
            AttributeType.Boolean when kind is JsonValueKind.True or JsonValueKind.False => _dialect.BooleanValue(kind == JsonValueKind.True),
            AttributeType.Integer or AttributeType.Decimal when kind == JsonValueKind.Number => Number(key),
            AttributeType.Boolean or AttributeType.Integer or AttributeType.Decimal => throw ForeignCursor(),
            // Text (and dateTime keys, which are text): a value of another kind means the stored data did not match
            // its declared type, and SQL then compares what it read; the reader put exactly that in the cursor.
            _ => kind switch
            {
                JsonValueKind.String => key.GetValue<string>(),
                JsonValueKind.Number => Number(key),
                JsonValueKind.True or JsonValueKind.False => _dialect.BooleanValue(kind == JsonValueKind.True),
                _ => throw ForeignCursor(),
            },
        };
    }

    private static ScimException ForeignCursor() =>
        new(400, ScimTypes.InvalidCursor, "The cursor does not belong to this query.");
}
