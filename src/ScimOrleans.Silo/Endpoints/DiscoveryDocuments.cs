using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Silo.Hosting;
using ScimOrleans.Silo.Http;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// ServiceProviderConfig, Schemas and ResourceTypes (RFC 7643 §5–7). They advertise exactly what the server does:
/// a feature listed here is tested end to end.
/// </summary>
internal static class DiscoveryDocuments
{
    private static readonly SchemaDefinition[] AllSchemas = [ScimSchemas.User, ScimSchemas.EnterpriseUser, ScimSchemas.Group];
    private static readonly ResourceTypeDefinition[] AllResourceTypes = [ScimSchemas.UserResourceType, ScimSchemas.GroupResourceType];

    public static IResult ServiceProviderConfig(HttpContext context, string tenant, IOptions<ScimOptions> options)
    {
        var scim = options.Value;
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.ServiceProviderConfig),
            ["documentationUri"] = "https://github.com/scimorleans/scimorleans#readme",
            ["patch"] = new JsonObject { ["supported"] = true },
            ["bulk"] = new JsonObject { ["supported"] = false, ["maxOperations"] = 0, ["maxPayloadSize"] = 0 },
            ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = scim.MaxResults },
            ["changePassword"] = new JsonObject { ["supported"] = true },
            ["sort"] = new JsonObject { ["supported"] = true },
            ["etag"] = new JsonObject { ["supported"] = true },
            ["pagination"] = new JsonObject
            {
                ["cursor"] = false,
                ["index"] = true,
                ["defaultPaginationMethod"] = "index",
                ["defaultPageSize"] = scim.DefaultPageSize,
                ["maxPageSize"] = scim.MaxResults,
            },
            ["authenticationSchemes"] = new JsonArray(new JsonObject
            {
                ["type"] = "oauthbearertoken",
                ["name"] = "Bearer token",
                ["description"] = "A per-tenant bearer token issued through the admin API.",
                ["primary"] = true,
            }),
            ["meta"] = new JsonObject
            {
                ["resourceType"] = "ServiceProviderConfig",
                ["location"] = tenantBase + "/ServiceProviderConfig",
            },
        };
        return ScimResponses.Json(body);
    }

    public static IResult Schemas(HttpContext context, string tenant)
    {
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        return ScimResponses.Json(ListOf([.. AllSchemas.Select(s => s.ToJson(tenantBase))]));
    }

    public static IResult Schema(HttpContext context, string tenant, string id)
    {
        var schema = AllSchemas.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase))
            ?? throw ScimException.NotFound($"Schema '{id}' not found.");
        return ScimResponses.Json(schema.ToJson(ScimUrls.TenantBase(context, tenant)));
    }

    public static IResult ResourceTypes(HttpContext context, string tenant)
    {
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        return ScimResponses.Json(ListOf([.. AllResourceTypes.Select(r => r.ToJson(tenantBase))]));
    }

    public static IResult ResourceType(HttpContext context, string tenant, string name)
    {
        var resourceType = AllResourceTypes.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw ScimException.NotFound($"Resource type '{name}' not found.");
        return ScimResponses.Json(resourceType.ToJson(ScimUrls.TenantBase(context, tenant)));
    }

    private static JsonObject ListOf(JsonObject[] resources) => new()
    {
        ["schemas"] = new JsonArray(ScimUris.ListResponse),
        ["totalResults"] = resources.Length,
        ["startIndex"] = 1,
        ["itemsPerPage"] = resources.Length,
        ["Resources"] = new JsonArray([.. resources]),
    };
}
