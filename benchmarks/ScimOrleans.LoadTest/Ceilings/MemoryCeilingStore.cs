using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace ScimOrleans.LoadTest.Ceilings;

/// <summary>The memory ceiling: dictionaries, a lock per resource, documents kept as JSON text.</summary>
internal sealed class MemoryCeilingStore : ICeilingStore
{
    private readonly ConcurrentDictionary<(string Tenant, string Id), UserEntry> users = new();
    private readonly ConcurrentDictionary<(string Tenant, string Key), string> userNames = new();
    private readonly ConcurrentDictionary<string, List<string>> creationOrder = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Tenant, string Id), GroupEntry> groups = new();
    private readonly ConcurrentDictionary<(string Tenant, string Key), string> groupNames = new();

    public string Description => "memory ceiling: Kestrel + System.Text.Json + ConcurrentDictionary";

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> CreateUserAsync(string tenant, string id, string userNameKey, JsonObject document, CancellationToken cancellationToken)
    {
        if (!userNames.TryAdd((tenant, userNameKey), id))
        {
            return Task.FromResult(false);
        }

        users[(tenant, id)] = new UserEntry(document.ToJsonString());
        var order = creationOrder.GetOrAdd(tenant, _ => []);
        lock (order)
        {
            order.Add(id);
        }

        return Task.FromResult(true);
    }

    public Task<string?> GetUserAsync(string tenant, string id, CancellationToken cancellationToken) =>
        Task.FromResult(users.TryGetValue((tenant, id), out var entry) ? entry.Json : null);

    public Task<IReadOnlyList<string>> FindByUserNameAsync(string tenant, string userNameKey, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> found = userNames.TryGetValue((tenant, userNameKey), out var id) && users.TryGetValue((tenant, id), out var entry)
            ? [entry.Json]
            : [];
        return Task.FromResult(found);
    }

    public Task<(int Total, IReadOnlyList<string> Documents)> PageAsync(string tenant, int offset, int count, CancellationToken cancellationToken)
    {
        if (!creationOrder.TryGetValue(tenant, out var order))
        {
            return Task.FromResult<(int, IReadOnlyList<string>)>((0, []));
        }

        string[] ids;
        int total;
        lock (order)
        {
            total = order.Count;
            ids = offset >= total ? [] : order.GetRange(offset, Math.Min(count, total - offset)).ToArray();
        }

        var documents = ids.Select(id => users[(tenant, id)].Json).ToList();
        return Task.FromResult<(int, IReadOnlyList<string>)>((total, documents));
    }

    public Task<string?> PatchUserAsync(string tenant, string id, IReadOnlyList<AttributeSet> sets, CancellationToken cancellationToken)
    {
        if (!users.TryGetValue((tenant, id), out var entry))
        {
            return Task.FromResult<string?>(null);
        }

        lock (entry)
        {
            var document = JsonNode.Parse(entry.Json)!.AsObject();
            foreach (var set in sets)
            {
                Apply(document, set);
            }

            entry.Json = document.ToJsonString();
            return Task.FromResult<string?>(entry.Json);
        }
    }

    public Task<bool> CreateGroupAsync(string tenant, string id, string displayNameKey, JsonObject document, CancellationToken cancellationToken)
    {
        if (!groupNames.TryAdd((tenant, displayNameKey), id))
        {
            return Task.FromResult(false);
        }

        groups[(tenant, id)] = new GroupEntry(document.ToJsonString());
        return Task.FromResult(true);
    }

    public Task<bool> AddMembersAsync(string tenant, string groupId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
    {
        if (!groups.TryGetValue((tenant, groupId), out var group))
        {
            return Task.FromResult(false);
        }

        lock (group)
        {
            foreach (var memberId in memberIds)
            {
                if (users.ContainsKey((tenant, memberId)))
                {
                    group.Members.Add(memberId);
                }
            }
        }

        return Task.FromResult(true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static void Apply(JsonObject document, AttributeSet set)
    {
        if (set.Path is null)
        {
            foreach (var (name, value) in set.Value!.AsObject())
            {
                document[name] = value?.DeepClone();
            }

            return;
        }

        if (set.Path.Length == 1)
        {
            document[set.Path[0]] = set.Value?.DeepClone();
            return;
        }

        if (document[set.Path[0]] is not JsonObject parent)
        {
            parent = [];
            document[set.Path[0]] = parent;
        }

        parent[set.Path[1]] = set.Value?.DeepClone();
    }

    private sealed class UserEntry(string json)
    {
        public string Json { get; set; } = json;
    }

    private sealed class GroupEntry(string json)
    {
        public string Json { get; } = json;

        public HashSet<string> Members { get; } = new(StringComparer.Ordinal);
    }
}
