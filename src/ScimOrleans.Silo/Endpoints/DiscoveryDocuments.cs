using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Schemas;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Silo.Hosting;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// ServiceProviderConfig, Schemas and ResourceTypes (RFC 7643 §5–7). They advertise exactly what the server does:
/// a feature listed here is tested end to end.
/// </summary>
internal static class DiscoveryDocuments
{
    public static IResult ServiceProviderConfig(HttpContext context, string tenant, IOptions<ScimOptions> options, IOptions<ScimProtocolOptions> protocolOptions)
    {
        var scim = options.Value;
        var protocol = protocolOptions.Value;
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.ServiceProviderConfig),
            ["documentationUri"] = "https://github.com/scimorleans/scimorleans#readme",
            ["patch"] = new JsonObject { ["supported"] = true },
            ["bulk"] = new JsonObject
            {
                ["supported"] = true,
                ["maxOperations"] = protocol.BulkMaxOperations,
                ["maxPayloadSize"] = protocol.BulkMaxPayloadBytes,
            },
            ["filter"] = new JsonObject { ["supported"] = true, ["maxResults"] = scim.MaxResults },
            ["changePassword"] = new JsonObject { ["supported"] = true },
            ["sort"] = new JsonObject { ["supported"] = true },
            ["etag"] = new JsonObject { ["supported"] = true },
            // RFC 9865: both methods; index stays the default so clients that never heard of cursors see no change.
            ["pagination"] = new JsonObject
            {
                ["cursor"] = true,
                ["index"] = true,
                ["defaultPaginationMethod"] = "index",
                ["defaultPageSize"] = scim.DefaultPageSize,
                ["maxPageSize"] = scim.MaxResults,
                ["cursorTimeout"] = protocol.CursorTimeoutSeconds,
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

    public static async Task<IResult> Schemas(HttpContext context, string tenant, ITenantSchemaProvider schemas)
    {
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        return ScimResponses.Json(ListOf([.. (await AllSchemasAsync(tenant, schemas)).Select(s => s.ToJson(tenantBase))]));
    }

    public static async Task<IResult> Schema(HttpContext context, string tenant, string id, ITenantSchemaProvider schemas)
    {
        var schema = (await AllSchemasAsync(tenant, schemas)).FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase))
            ?? throw ScimException.NotFound($"Schema '{id}' not found.");
        return ScimResponses.Json(schema.ToJson(ScimUrls.TenantBase(context, tenant)));
    }

    public static async Task<IResult> ResourceTypes(HttpContext context, string tenant, ITenantSchemaProvider schemas)
    {
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        return ScimResponses.Json(ListOf([.. (await AllResourceTypesAsync(tenant, schemas)).Select(r => r.ToJson(tenantBase))]));
    }

    public static async Task<IResult> ResourceType(HttpContext context, string tenant, string name, ITenantSchemaProvider schemas)
    {
        var resourceType = (await AllResourceTypesAsync(tenant, schemas)).FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw ScimException.NotFound($"Resource type '{name}' not found.");
        return ScimResponses.Json(resourceType.ToJson(ScimUrls.TenantBase(context, tenant)));
    }

    /// <summary>Core User, its extensions (Enterprise User and the tenant's), core Group and the tenant's Group extensions.</summary>
    private static async Task<List<SchemaDefinition>> AllSchemasAsync(string tenant, ITenantSchemaProvider schemas)
    {
        var user = await schemas.GetAsync(tenant, ResourceKind.User);
        var group = await schemas.GetAsync(tenant, ResourceKind.Group);
        return [user.Core, .. user.Extensions, group.Core, .. group.Extensions];
    }

    private static async Task<List<ResourceTypeDefinition>> AllResourceTypesAsync(string tenant, ITenantSchemaProvider schemas) =>
        [(await schemas.GetAsync(tenant, ResourceKind.User)).ResourceType, (await schemas.GetAsync(tenant, ResourceKind.Group)).ResourceType];

    private static JsonObject ListOf(JsonObject[] resources) => new()
    {
        ["schemas"] = new JsonArray(ScimUris.ListResponse),
        ["totalResults"] = resources.Length,
        ["startIndex"] = 1,
        ["itemsPerPage"] = resources.Length,
        ["Resources"] = new JsonArray([.. resources]),
    };
}
