using ScimOrleans.Protocol.Filtering;

namespace ScimOrleans.Storage;

/// <summary>
/// A list query. <see cref="Filter"/> is bound (see <c>FilterBinder</c>); <see cref="StartIndex"/> is 1-based;
/// <see cref="Count"/> 0 returns only the total. Without <see cref="Sort"/> rows come in a stable order
/// (creation order, then id).
/// </summary>
public sealed record ResourceQuery(
    string TenantId,
    ResourceKind Kind,
    FilterNode? Filter,
    SortSpec? Sort,
    int StartIndex,
    int Count);
