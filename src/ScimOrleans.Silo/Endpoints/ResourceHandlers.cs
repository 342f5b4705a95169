using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Resources;
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
/// The handlers behind <c>/Users</c> and <c>/Groups</c>: writes and reads by id go through the resource's grain;
/// list queries go straight to the store.
/// </summary>
internal static class ResourceHandlers
{
    public static async Task<IResult> List(HttpContext context, string tenant, ResourceKind kind)
    {
        var query = context.Request.Query;
        var options = context.RequestServices.GetRequiredService<IOptions<ScimOptions>>().Value;
        var schema = ResourceRepresenter.SchemaOf(kind);
        var filter = query["filter"].ToString() is { Length: > 0 } text ? FilterBinder.Bind(FilterParser.Parse(text), schema) : null;
        var startIndex = ParseInteger(query["startIndex"], "startIndex") ?? 1;
        var count = ParseInteger(query["count"], "count") ?? options.DefaultPageSize;
        startIndex = Math.Max(startIndex, 1);
        count = Math.Clamp(count, 0, options.MaxResults);
        var sort = ParseSort(query["sortBy"], query["sortOrder"], schema);
        var selection = AttributeSelection.Parse(query["attributes"], query["excludedAttributes"], schema);

        var store = context.RequestServices.GetRequiredService<IScimStore>();
        var page = await store.QueryAsync(new ResourceQuery(tenant, kind, filter, sort, startIndex, count, schema), context.RequestAborted);
        var representer = context.RequestServices.GetRequiredService<ResourceRepresenter>();
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        var resources = new JsonArray();
        foreach (var row in page.Rows)
        {
            resources.Add(await representer.RepresentAsync(tenantBase, tenant, kind, row.Id, row.Json, row.Version, row.Created, row.LastModified, selection, context.RequestAborted));
        }

        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.ListResponse),
            ["totalResults"] = page.TotalResults,
            ["startIndex"] = startIndex,
            ["itemsPerPage"] = resources.Count,
            ["Resources"] = resources,
        };
        return ScimResponses.Json(body);
    }

    public static async Task<IResult> Get(HttpContext context, string tenant, string id, ResourceKind kind)
    {
        var result = await Grain(context, tenant, id, kind).Get();
        if (result.Resource is { } resource
            && context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } ifNoneMatch
            && EntityTags.Matches(ifNoneMatch, resource.Version))
        {
            context.Response.Headers.ETag = EntityTags.ForVersion(resource.Version);
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return await Respond(context, tenant, kind, result, StatusCodes.Status200OK);
    }

    public static async Task<IResult> Create(HttpContext context, string tenant, ResourceKind kind)
    {
        var body = await RequestBodies.ReadAsync(context);
        var id = Guid.NewGuid().ToString("D");
        var result = await Grain(context, tenant, id, kind).Create(body);
        return await Respond(context, tenant, kind, result, StatusCodes.Status201Created, withLocation: true);
    }

    public static async Task<IResult> Replace(HttpContext context, string tenant, string id, ResourceKind kind)
    {
        var body = await RequestBodies.ReadAsync(context);
        var result = await Grain(context, tenant, id, kind).Replace(body, IfMatch(context));
        return await Respond(context, tenant, kind, result, StatusCodes.Status200OK);
    }

    public static async Task<IResult> Patch(HttpContext context, string tenant, string id, ResourceKind kind)
    {
        var body = await RequestBodies.ReadAsync(context);
        var result = await Grain(context, tenant, id, kind).Patch(body, IfMatch(context));
        var query = context.Request.Query;
        // Groups answer 204 (Entra expects it; members are not worth sending back on every member PATCH) unless
        // the client asked for a representation by naming attributes.
        if (kind == ResourceKind.Group && result.Resource is { } group && !query.ContainsKey("attributes") && !query.ContainsKey("excludedAttributes"))
        {
            context.Response.Headers.ETag = EntityTags.ForVersion(group.Version);
            return Results.NoContent();
        }

        return await Respond(context, tenant, kind, result, StatusCodes.Status200OK);
    }

    public static async Task<IResult> Delete(HttpContext context, string tenant, string id, ResourceKind kind)
    {
        var result = await Grain(context, tenant, id, kind).Delete(IfMatch(context));
        return result.Error is { } error ? ScimResponses.Error(new ScimException(error.Status, error.ScimType, error.Detail)) : Results.NoContent();
    }

    private static async Task<IResult> Respond(HttpContext context, string tenant, ResourceKind kind, ResourceResult result, int status, bool withLocation = false)
    {
        if (result.Error is { } error)
        {
            return ScimResponses.Error(new ScimException(error.Status, error.ScimType, error.Detail));
        }

        var resource = result.Resource!;
        var schema = ResourceRepresenter.SchemaOf(kind);
        var query = context.Request.Query;
        var selection = AttributeSelection.Parse(query["attributes"], query["excludedAttributes"], schema);
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        var representer = context.RequestServices.GetRequiredService<ResourceRepresenter>();
        var body = await representer.RepresentAsync(tenantBase, tenant, kind, resource, selection, context.RequestAborted);
        return ScimResponses.Json(
            body,
            status,
            EntityTags.ForVersion(resource.Version),
            withLocation ? ScimUrls.Resource(tenantBase, kind, resource.Id) : null);
    }

    private static IResourceGrain Grain(HttpContext context, string tenant, string id, ResourceKind kind)
    {
        var grains = context.RequestServices.GetRequiredService<IGrainFactory>();
        return kind == ResourceKind.User
            ? grains.GetGrain<IUserGrain>(ResourceKeys.User(tenant, id))
            : grains.GetGrain<IGroupGrain>(ResourceKeys.Group(tenant, id));
    }

    private static string? IfMatch(HttpContext context) =>
        context.Request.Headers[HeaderNames.IfMatch].ToString() is { Length: > 0 } value ? value : null;

    private static int? ParseInteger(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw ScimException.InvalidValue($"'{name}' must be an integer.");
    }

    private static SortSpec? ParseSort(string? sortBy, string? sortOrder, ResourceSchema schema)
    {
        if (string.IsNullOrEmpty(sortBy))
        {
            return null;
        }

        var path = AttributePath.Parse(sortBy);
        var resolved = schema.Resolve(path) ?? throw ScimException.InvalidValue($"sortBy names an unknown attribute '{sortBy}'.");
        var bound = new AttributePath(resolved.IsCore ? null : resolved.Schema.Id, resolved.Attribute.Name, resolved.SubAttribute?.Name);
        var descending = sortOrder switch
        {
            null or "" => false,
            _ when sortOrder.Equals("ascending", StringComparison.OrdinalIgnoreCase) => false,
            _ when sortOrder.Equals("descending", StringComparison.OrdinalIgnoreCase) => true,
            _ => throw ScimException.InvalidValue("sortOrder must be 'ascending' or 'descending'."),
        };
        return new SortSpec(bound, descending);
    }
}
