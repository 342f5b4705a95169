using Microsoft.Net.Http.Headers;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Grains.Schemas;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Projection;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// The handlers behind <c>/Users</c> and <c>/Groups</c>: writes and reads by id go through the resource's grain;
/// list queries go straight to the store.
/// </summary>
internal static class ResourceHandlers
{
    public static async Task<IResult> List(HttpContext context, string tenant, ResourceKind? kind)
    {
        var lister = context.RequestServices.GetRequiredService<ResourceLister>();
        return ScimResponses.Json(await lister.ListAsync(context, tenant, kind, ListParameters.FromQuery(context.Request.Query)));
    }

    /// <summary><c>POST /.search</c> (RFC 7644 §3.4.3): the query in a SearchRequest body instead of the URL.</summary>
    public static async Task<IResult> Search(HttpContext context, string tenant, ResourceKind? kind)
    {
        var body = await RequestBodies.ReadAsync(context);
        var lister = context.RequestServices.GetRequiredService<ResourceLister>();
        return ScimResponses.Json(await lister.ListAsync(context, tenant, kind, ListParameters.FromSearchRequest(body)));
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
        // A user that did not exist a moment ago belongs to no group: its response needs no groups query.
        return await Respond(context, tenant, kind, result, StatusCodes.Status201Created, withLocation: true, knownGroups: kind == ResourceKind.User ? [] : null);
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

    private static async Task<IResult> Respond(
        HttpContext context, string tenant, ResourceKind kind, ResourceResult result, int status, bool withLocation = false, IReadOnlyList<GroupMembershipEntry>? knownGroups = null)
    {
        if (result.Error is { } error)
        {
            return ScimResponses.Error(new ScimException(error.Status, error.ScimType, error.Detail));
        }

        var resource = result.Resource!;
        knownGroups ??= result.InNoGroup ? [] : null;
        var schema = await context.RequestServices.GetRequiredService<ITenantSchemaProvider>().GetAsync(tenant, kind);
        var query = context.Request.Query;
        var selection = AttributeSelection.Parse(query["attributes"], query["excludedAttributes"], schema);
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        var representer = context.RequestServices.GetRequiredService<ResourceRepresenter>();
        var body = await representer.RepresentAsync(tenantBase, tenant, kind, schema, resource, selection, knownGroups, context.RequestAborted);
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
            ? grains.GetUserGrain(tenant, id)
            : grains.GetGroupGrain(tenant, id);
    }

    private static string? IfMatch(HttpContext context) =>
        context.Request.Headers[HeaderNames.IfMatch].ToString() is { Length: > 0 } value ? value : null;
}
