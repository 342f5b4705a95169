using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Storage;

/// <summary>sortBy (a bound attribute path) and direction.</summary>
public sealed record SortSpec(AttributePath Path, bool Descending);
