using System.Globalization;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// Collects the values of a dynamically built statement. Every value a client supplies (filter literals, JSON paths)
/// goes through here, so generated SQL text only ever contains placeholders, column names and fixed keywords.
/// <c>@name</c> placeholders are understood by both Microsoft.Data.Sqlite and Npgsql.
/// </summary>
internal sealed class SqlParameterBag
{
    private readonly List<KeyValuePair<string, object?>> _values = [];

    public IReadOnlyList<KeyValuePair<string, object?>> Values => _values;

    /// <summary>Adds a value and returns its placeholder.</summary>
    public string Add(object? value)
    {
        var name = "@p" + _values.Count.ToString(CultureInfo.InvariantCulture);
        _values.Add(new KeyValuePair<string, object?>(name, value));
        return name;
    }
}
