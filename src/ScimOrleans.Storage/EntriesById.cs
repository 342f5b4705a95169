namespace ScimOrleans.Storage;

/// <summary>
/// The rows of a query seeded by many ids (a page's users, a page's groups), gathered per id: every distinct id
/// requested has a list, empty when no row named it, so callers can index the result by any id they asked for.
/// </summary>
internal sealed class EntriesById<T>
{
    private readonly Dictionary<string, List<T>> entries = new(StringComparer.Ordinal);

    public EntriesById(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        foreach (var id in ids)
        {
            entries.TryAdd(id, []);
        }
    }

    /// <summary>The distinct ids requested.</summary>
    public IReadOnlyCollection<string> Ids => entries.Keys;

    public void Add(string id, T entry) => entries[id].Add(entry);

    public IReadOnlyDictionary<string, IReadOnlyList<T>> ToResult() =>
        entries.ToDictionary(e => e.Key, e => (IReadOnlyList<T>)e.Value, StringComparer.Ordinal);
}
