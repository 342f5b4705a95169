using System.Collections.Concurrent;

namespace ScimOrleans.Protocol.Schemas;

/// <summary>
/// A resource schema's resolved body member names (with their canonical paths): every request body names the same few attributes, and parsing
/// and resolving each name anew allocated a path, a resolution and their strings per member per request. Bounded:
/// names beyond <see cref="Capacity"/> distinct ones (a client inventing keys) are resolved without being kept.
/// </summary>
internal sealed class BodyKeyCache
{
    private const int Capacity = 4096;

    private readonly ConcurrentDictionary<(string Key, SchemaDefinition? Within), (ResolvedAttribute? Resolved, string Path)> resolved = new();

    public (ResolvedAttribute? Resolved, string Path) GetOrResolve(
        string key, SchemaDefinition? within, Func<ResourceSchema, string, SchemaDefinition?, (ResolvedAttribute?, string)> resolve, ResourceSchema schema)
    {
        if (resolved.TryGetValue((key, within), out var known))
        {
            return known;
        }

        var fresh = resolve(schema, key, within);
        if (resolved.Count < Capacity)
        {
            resolved.TryAdd((key, within), fresh);
        }

        return fresh;
    }
}
