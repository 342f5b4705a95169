using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Schemas;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Projection;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Silo.Hosting;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// Answers list queries — <c>GET /Users</c>, <c>POST /Users/.search</c>, and the same at the root across Users and
/// Groups — with index paging (RFC 7644 §3.4.2.4, the default) or cursor paging (RFC 9865, when <c>cursor</c> is given).
/// </summary>
/// <remarks>
/// The root's merged order is every matching User, then every matching Group; within each type the requested sort
/// (when that type has the attribute), else creation order. A resource type is searched at the root only when the
/// filter names attributes it has; a filter no type understands is 400 invalidFilter.
/// </remarks>
internal sealed class ResourceLister(
    IScimStore store,
    ResourceRepresenter representer,
    ITenantSchemaProvider schemas,
    IOptions<ScimOptions> options,
    IOptions<ScimProtocolOptions> protocol,
    TimeProvider time)
{
    public async Task<ListResponseBody> ListAsync(HttpContext context, string tenant, ResourceKind? kind, ListParameters parameters)
    {
        var scim = options.Value;
        var parsedFilter = parameters.Filter is { Length: > 0 } text ? FilterParser.Parse(text) : null;
        var descending = ParseSortOrder(parameters.SortOrder);
        var plans = await PlanAsync(tenant, kind, parsedFilter, parameters, descending);
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        var cancellationToken = context.RequestAborted;

        if (!parameters.CursorRequested)
        {
            if (!ListParameters.TryParseInteger(parameters.StartIndex, out var startIndexValue))
            {
                throw ScimException.InvalidValue("'startIndex' must be an integer.");
            }

            if (!ListParameters.TryParseInteger(parameters.Count, out var countValue))
            {
                throw ScimException.InvalidValue("'count' must be an integer.");
            }

            var startIndex = Math.Max(startIndexValue ?? 1, 1);
            var count = Math.Clamp(countValue ?? scim.DefaultPageSize, 0, scim.MaxResults);
            var (total, rows) = await IndexPageAsync(tenant, plans, startIndex, count, cancellationToken);
            return new ListResponseBody(total, startIndex, null, await RepresentAsync(tenantBase, tenant, rows, cancellationToken));
        }

        if (parameters.StartIndex is not null)
        {
            throw ScimException.InvalidValue("'startIndex' and 'cursor' cannot be combined: page by index or by cursor.");
        }

        // RFC 9865 §2: a negative count means 0; above maxPageSize, or not a number, is invalidCount.
        if (!ListParameters.TryParseInteger(parameters.Count, out var requested) || requested > scim.MaxResults)
        {
            throw new ScimException(400, ScimTypes.InvalidCount, $"'count' must be an integer from 0 to {scim.MaxResults}.");
        }

        var pageSize = Math.Max(requested ?? scim.DefaultPageSize, 0);

        var scope = kind is null ? "root" : ScimUrls.Endpoint(kind.Value);
        var hash = ListCursor.HashQuery(tenant, scope, parsedFilter?.ToString(), parameters.SortBy, descending);
        ListCursor? cursor = null;
        if (!string.IsNullOrEmpty(parameters.Cursor))
        {
            cursor = ListCursor.Decode(parameters.Cursor);
            if (cursor.QueryHash != hash || !plans.Any(p => p.Kind == cursor.Kind))
            {
                throw ListCursor.Invalid();
            }

            if (cursor.Count != pageSize)
            {
                throw new ScimException(400, ScimTypes.InvalidCount, $"'count' must stay {cursor.Count}, as on the request that returned this cursor.");
            }

            var timeout = protocol.Value.CursorTimeoutSeconds;
            if (time.GetUtcNow().ToUnixTimeSeconds() - cursor.IssuedAt > timeout)
            {
                throw new ScimException(400, ScimTypes.ExpiredCursor, $"The cursor has expired: request each page within {timeout} seconds of the previous one.");
            }
        }

        var (cursorTotal, cursorRows, next) = await CursorPageAsync(tenant, plans, cursor, pageSize, cancellationToken);
        var nextCursor = next is null
            ? null
            : new ListCursor(hash, pageSize, time.GetUtcNow().ToUnixTimeSeconds(), next.Value.Kind, next.Value.Position).Encode();
        return new ListResponseBody(cursorTotal, null, nextCursor, await RepresentAsync(tenantBase, tenant, cursorRows, cancellationToken));
    }

    private async Task<List<KindPlan>> PlanAsync(string tenant, ResourceKind? kind, FilterNode? filter, ListParameters parameters, bool descending)
    {
        ResourceKind[] kinds = kind is { } single ? [single] : [ResourceKind.User, ResourceKind.Group];
        var plans = new List<KindPlan>(kinds.Length);
        ScimException? filterError = null;
        ScimException? sortError = null;
        foreach (var each in kinds)
        {
            var schema = await schemas.GetAsync(tenant, each);
            FilterNode? bound = null;
            if (filter is not null)
            {
                try
                {
                    bound = FilterBinder.Bind(filter, schema);
                }
                catch (ScimException error) when (kind is null)
                {
                    // At the root a type whose schema lacks an attribute of the filter has nothing that matches.
                    filterError ??= error;
                    continue;
                }
            }

            SortSpec? sort = null;
            try
            {
                sort = ParseSort(parameters.SortBy, descending, schema);
            }
            catch (ScimException error) when (kind is null)
            {
                // At the root a type without the sort attribute keeps its creation order.
                sortError ??= error;
            }

            var selection = AttributeSelection.Parse(parameters.Attributes, parameters.ExcludedAttributes, schema);
            plans.Add(new KindPlan(each, schema, bound, sort, selection));
        }

        if (plans.Count == 0)
        {
            throw filterError!;
        }

        if (sortError is not null && plans.All(p => p.Sort is null))
        {
            throw sortError;
        }

        return plans;
    }

    private async Task<(int Total, PageRows Rows)> IndexPageAsync(
        string tenant, List<KindPlan> plans, int startIndex, int count, CancellationToken cancellationToken)
    {
        var rows = new PageRows();
        var total = 0;
        var offset = startIndex - 1;
        foreach (var plan in plans)
        {
            // Index into the concatenation: this type starts where the previous ones ended.
            var localStart = Math.Max(offset - total, 0) + 1;
            var page = await store.QueryAsync(plan.Query(tenant, localStart, count - rows.Count, null), cancellationToken);
            total += page.TotalResults;
            rows.Add(plan, page, page.Rows.Count);
        }

        return (total, rows);
    }

    private async Task<(int Total, PageRows Rows, (ResourceKind Kind, KeysetPosition Position)? Next)> CursorPageAsync(
        string tenant, List<KindPlan> plans, ListCursor? cursor, int count, CancellationToken cancellationToken)
    {
        var rows = new PageRows();
        var total = 0;
        var more = false;
        var started = cursor is null;
        foreach (var plan in plans)
        {
            var current = cursor is not null && plan.Kind == cursor.Kind;
            started |= current;
            var need = count - rows.Count;
            if (!started || need == 0)
            {
                // Types before the cursor's, or after a full page: only their totals (and whether any rows remain).
                var counted = await store.QueryAsync(plan.Query(tenant, 1, 0, null), cancellationToken);
                total += counted.TotalResults;
                more |= started && counted.TotalResults > 0 && count > 0;
                continue;
            }

            // One row beyond the page tells whether another page exists without an extra round trip.
            var page = await store.QueryAsync(plan.Query(tenant, 1, need + 1, current ? cursor!.Position : null), cancellationToken);
            total += page.TotalResults;
            rows.Add(plan, page, need);
            more |= page.Rows.Count > need;
        }

        if (!more || rows.Count == 0)
        {
            return (total, rows, null);
        }

        var (lastPlan, lastRow) = rows.Last;
        return (total, rows, (lastPlan.Kind, KeysetPosition.After(lastRow, lastPlan.Sort, lastPlan.Schema)));
    }

    private async Task<List<ResourceBody>> RepresentAsync(
        string tenantBase, string tenant, PageRows page, CancellationToken cancellationToken)
    {
        // The users' groups and the groups' members for the whole page in one query each (and none when the response
        // does not show them); at the root there is at most one plan of each kind. The users' groups usually came with
        // the page itself. A list shows fewer members per group than a single group does, so a page of big groups
        // stays a bounded response.
        var rows = page.Rows;
        var groups = page.Groups;
        if (groups is null && rows.FirstOrDefault(r => r.Plan.Kind == ResourceKind.User).Plan is { } userPlan)
        {
            var userIds = rows.Where(r => r.Plan == userPlan).Select(r => r.Row.Id).ToList();
            groups = await representer.GroupsOfUsersAsync(tenant, userPlan.Schema, userPlan.Selection, userIds, cancellationToken);
        }

        IReadOnlyDictionary<string, IReadOnlyList<MemberEntry>>? members = null;
        if (rows.FirstOrDefault(r => r.Plan.Kind == ResourceKind.Group).Plan is { } groupPlan)
        {
            var groupIds = rows.Where(r => r.Plan == groupPlan).Select(r => r.Row.Id).ToList();
            members = await representer.MembersOfGroupsAsync(tenant, groupPlan.Schema, groupPlan.Selection, groupIds, cancellationToken);
        }

        var resources = new List<ResourceBody>(rows.Count);
        foreach (var (plan, row) in rows)
        {
            var preloadedGroups = plan.Kind == ResourceKind.User && groups is not null
                ? groups.GetValueOrDefault(row.Id) ?? []
                : null;
            var preloadedMembers = plan.Kind == ResourceKind.Group && members is not null
                ? members.GetValueOrDefault(row.Id) ?? []
                : null;
            resources.Add(await representer.RepresentAsync(
                tenantBase, tenant, plan.Kind, plan.Schema, row.Id, row.Json, row.Version, row.Created, row.LastModified, plan.Selection,
                preloadedGroups, preloadedMembers, cancellationToken));
        }

        return resources;
    }

    private static bool ParseSortOrder(string? sortOrder) => sortOrder switch
    {
        null or "" => false,
        _ when sortOrder.Equals("ascending", StringComparison.OrdinalIgnoreCase) => false,
        _ when sortOrder.Equals("descending", StringComparison.OrdinalIgnoreCase) => true,
        _ => throw ScimException.InvalidValue("sortOrder must be 'ascending' or 'descending'."),
    };

    private static SortSpec? ParseSort(string? sortBy, bool descending, ResourceSchema schema)
    {
        if (string.IsNullOrEmpty(sortBy))
        {
            return null;
        }

        if (!AttributePath.TryParse(sortBy, out var path, out var error))
        {
            throw ScimException.InvalidValue($"sortBy: {error}");
        }

        var resolved = schema.Resolve(path) ?? throw ScimException.InvalidValue($"sortBy names an unknown attribute '{sortBy}'.");
        var bound = new AttributePath(resolved.IsCore ? null : resolved.Schema.Id, resolved.Attribute.Name, resolved.SubAttribute?.Name);
        return new SortSpec(bound, descending);
    }

    /// <summary>The rows of one response page, with the users' groups that came with them.</summary>
    private sealed class PageRows
    {
        private readonly Dictionary<string, IReadOnlyList<GroupMembershipEntry>> groups = new(StringComparer.Ordinal);
        private bool groupsComplete = true;

        public List<(KindPlan Plan, ResourceRow Row)> Rows { get; } = [];

        public int Count => Rows.Count;

        public (KindPlan Plan, ResourceRow Row) Last => Rows[^1];

        /// <summary>The groups of every user row, or null when some user row came without them.</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<GroupMembershipEntry>>? Groups => groupsComplete ? groups : null;

        /// <summary>Takes the first <paramref name="take"/> rows of <paramref name="page"/>.</summary>
        public void Add(KindPlan plan, QueryPage page, int take)
        {
            foreach (var row in page.Rows.Take(take))
            {
                Rows.Add((plan, row));
                if (plan.Kind != ResourceKind.User)
                {
                    continue;
                }

                if (page.Groups?.GetValueOrDefault(row.Id) is { } entries)
                {
                    groups[row.Id] = entries;
                }
                else
                {
                    groupsComplete = false;
                }
            }
        }
    }

    /// <summary>How one resource type takes part in a list query.</summary>
    private sealed record KindPlan(ResourceKind Kind, ResourceSchema Schema, FilterNode? Filter, SortSpec? Sort, AttributeSelection Selection)
    {
        /// <summary>
        /// A page of this type. An unfiltered page (a walk through the directory) brings its users' groups with it,
        /// from the same snapshot; a filtered one (an IdP's <c>userName eq</c> lookup, mostly of the same users again
        /// and again) takes them from the silo's groups cache, which a walk would only churn.
        /// </summary>
        public ResourceQuery Query(string tenant, int startIndex, int count, KeysetPosition? after) =>
            new(tenant, Kind, Filter, Sort, startIndex, Math.Max(count, 0), Schema, after,
                WithGroups: Kind == ResourceKind.User && count > 0 && Filter is null && Selection.Returns(Schema, "groups"));
    }
}
