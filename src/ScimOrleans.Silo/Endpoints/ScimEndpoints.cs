using ScimOrleans.Protocol.Errors;
using ScimOrleans.Silo.Auth;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>The SCIM 2.0 API of each tenant under <c>/scim/v2/{tenant}</c>.</summary>
public static class ScimEndpoints
{
    public static IEndpointRouteBuilder MapScimEndpoints(this IEndpointRouteBuilder app)
    {
        var scim = app.MapGroup("/scim/v2/{tenant}")
            .RequireAuthorization(AuthenticationSetup.TenantPolicy)
            .WithTags("SCIM");

        MapResources(scim.MapGroup("/Users"), ResourceKind.User);
        MapResources(scim.MapGroup("/Groups"), ResourceKind.Group);

        // Queries at the service provider's root span Users and Groups (RFC 7644 §3.4.2, §3.4.3).
        scim.MapGet("", (HttpContext context, string tenant) => ResourceHandlers.List(context, tenant, null));
        scim.MapPost("/.search", (HttpContext context, string tenant) => ResourceHandlers.Search(context, tenant, null));
        scim.MapPost("/Bulk", async (HttpContext context, string tenant, BulkProcessor bulk) =>
            ScimResponses.Json(await bulk.RunAsync(context, tenant)));

        scim.MapGet("/ServiceProviderConfig", DiscoveryDocuments.ServiceProviderConfig);
        scim.MapGet("/Schemas", DiscoveryDocuments.Schemas);
        scim.MapGet("/Schemas/{id}", DiscoveryDocuments.Schema);
        scim.MapGet("/ResourceTypes", DiscoveryDocuments.ResourceTypes);
        scim.MapGet("/ResourceTypes/{name}", DiscoveryDocuments.ResourceType);
        scim.MapMethods("/Me", ["GET", "POST", "PUT", "PATCH", "DELETE"], () =>
            ScimResponses.Error(new ScimException(501, null, "/Me is not supported: tokens here authenticate an IdP, not a user.")));
        return app;
    }

    private static void MapResources(RouteGroupBuilder group, ResourceKind kind)
    {
        group.MapGet("", (HttpContext context, string tenant) => ResourceHandlers.List(context, tenant, kind));
        group.MapPost("", (HttpContext context, string tenant) => ResourceHandlers.Create(context, tenant, kind));
        group.MapPost("/.search", (HttpContext context, string tenant) => ResourceHandlers.Search(context, tenant, kind));
        group.MapGet("/{id}", (HttpContext context, string tenant, string id) => ResourceHandlers.Get(context, tenant, id, kind));
        group.MapPut("/{id}", (HttpContext context, string tenant, string id) => ResourceHandlers.Replace(context, tenant, id, kind));
        group.MapPatch("/{id}", (HttpContext context, string tenant, string id) => ResourceHandlers.Patch(context, tenant, id, kind));
        group.MapDelete("/{id}", (HttpContext context, string tenant, string id) => ResourceHandlers.Delete(context, tenant, id, kind));
    }
}
