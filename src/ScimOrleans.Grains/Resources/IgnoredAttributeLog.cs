using System.Collections.Concurrent;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Resources;

/// <summary>
/// Remembers which unknown attributes this silo has already reported, so each is logged once. Bounded: attribute
/// names come from clients, and a client sending random names must not grow memory without limit.
/// </summary>
internal static class IgnoredAttributeLog
{
    private const int Capacity = 10_000;
    private static readonly ConcurrentDictionary<string, byte> Seen = new(StringComparer.Ordinal);

    public static bool FirstSighting(string tenantId, ResourceKind kind, string attribute) =>
        Seen.Count < Capacity && Seen.TryAdd($"{tenantId}\n{kind}\n{attribute}", 0);
}
