using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage;

/// <summary>
/// A list query. <see cref="Filter"/> is bound (see <c>FilterBinder</c>); <see cref="StartIndex"/> is 1-based;
/// <see cref="Count"/> 0 returns only the total. Without <see cref="Sort"/> rows come in a stable order
/// (creation order, then id); with it, by the sort key (missing values last), then creation order, then id.
/// </summary>
/// <param name="Schema">
/// The schema the filter was bound against (with the tenant's extensions). When given, the store takes attribute types,
/// caseExact and multi-valuedness from it; without it the store uses its built-in knowledge of core User, Enterprise
/// User and core Group and rejects what it cannot type safely.
/// </param>
/// <param name="After">
/// Keyset paging: when set, the page holds the first <see cref="Count"/> rows strictly after this position and
/// <see cref="StartIndex"/> is ignored. <see cref="QueryPage.TotalResults"/> still counts every row the filter matches.
/// </param>
/// <param name="WithGroups">
/// For users: also read the page's users' groups (<see cref="QueryPage.Groups"/>), from the same snapshot and, where
/// the engine can, in the same round trip as the page.
/// </param>
public sealed record ResourceQuery(
    string TenantId,
    ResourceKind Kind,
    FilterNode? Filter,
    SortSpec? Sort,
    int StartIndex,
    int Count,
    ResourceSchema? Schema = null,
    KeysetPosition? After = null,
    bool WithGroups = false);
