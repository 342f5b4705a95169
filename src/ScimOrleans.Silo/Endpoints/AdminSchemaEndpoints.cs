using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Grains.Schemas;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Silo.Http;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// A tenant's custom schema extensions under <c>/admin/v1/tenants/{id}/schemas/{urn}</c>. The body is the extension
/// in its RFC 7643 §7 form (as <c>/Schemas</c> publishes it) plus <c>resourceType</c> (<c>User</c> or <c>Group</c>)
/// and optionally <c>required</c>; a GET answers the same shape, so a definition can be read, edited and put back.
/// Registered extensions appear in the tenant's <c>/Schemas</c> and <c>/ResourceTypes</c>, and their attributes are
/// validated, patched, filtered, sorted and projected like core attributes.
/// </summary>
internal static class AdminSchemaEndpoints
{
    public static void Map(RouteGroupBuilder tenants)
    {
        tenants.MapGet("/{id}/schemas", List);
        tenants.MapGet("/{id}/schemas/{urn}", Get);
        tenants.MapPut("/{id}/schemas/{urn}", Put);
        tenants.MapDelete("/{id}/schemas/{urn}", Delete);
    }

    private static async Task<IResult> List(HttpContext context, string id, IGrainFactory grains) =>
        await grains.GetTenantGrain(id).GetSchemaExtensions() is { } extensions
            ? Results.Json(new JsonArray([.. extensions.Select(e => (JsonNode)Represent(context, id, e))]))
            : TenantNotFound(id);

    private static async Task<IResult> Get(HttpContext context, string id, string urn, IGrainFactory grains)
    {
        if (await grains.GetTenantGrain(id).GetSchemaExtensions() is not { } extensions)
        {
            return TenantNotFound(id);
        }

        var extension = extensions.FirstOrDefault(e => string.Equals(e.Urn, urn, StringComparison.OrdinalIgnoreCase));
        return extension is null ? ExtensionNotFound(id, urn) : Results.Json(Represent(context, id, extension));
    }

    private static async Task<IResult> Put(HttpContext context, string id, string urn, IGrainFactory grains, ITenantSchemaProvider schemas)
    {
        TenantSchemaExtension extension;
        try
        {
            var body = ScimJson.ParseObject(await RequestBodies.ReadAsync(context));
            var resourceType = Member(body, "resourceType") is JsonValue type && type.GetValueKind() == JsonValueKind.String
                ? type.GetValue<string>() switch
                {
                    var t when t.Equals("User", StringComparison.OrdinalIgnoreCase) => "User",
                    var t when t.Equals("Group", StringComparison.OrdinalIgnoreCase) => "Group",
                    _ => null,
                }
                : null;
            if (resourceType is null)
            {
                throw ScimException.InvalidValue("resourceType is required: the resource type the extension attaches to, User or Group.");
            }

            var required = Member(body, "required") switch
            {
                null => false,
                JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>(),
                _ => throw ScimException.InvalidValue("required must be true or false."),
            };

            var definition = SchemaDefinitionReader.Read(urn, body);
            // Stored in the canonical form /Schemas publishes (the definition reads back from it unchanged).
            extension = new TenantSchemaExtension(definition.Id, resourceType, required, definition.ToJson("").ToJsonString());
        }
        catch (ScimException error)
        {
            return Results.Problem(statusCode: error.Status, title: "Invalid schema extension", detail: error.Detail);
        }

        var added = await grains.GetTenantGrain(id).PutSchemaExtension(extension);
        if (added is null)
        {
            return TenantNotFound(id);
        }

        schemas.Invalidate(id);
        var representation = Represent(context, id, extension);
        return added.Value
            ? Results.Created($"/admin/v1/tenants/{id}/schemas/{Uri.EscapeDataString(extension.Urn)}", representation)
            : Results.Ok(representation);
    }

    private static async Task<IResult> Delete(string id, string urn, IGrainFactory grains, ITenantSchemaProvider schemas)
    {
        var grain = grains.GetTenantGrain(id);
        if (await grain.GetSchemaExtensions() is null)
        {
            return TenantNotFound(id);
        }

        var deleted = await grain.DeleteSchemaExtension(urn);
        schemas.Invalidate(id);
        return deleted ? Results.NoContent() : ExtensionNotFound(id, urn);
    }

    /// <summary>The RFC 7643 §7 representation, located in the tenant's /Schemas, plus resourceType and required.</summary>
    private static JsonObject Represent(HttpContext context, string tenant, TenantSchemaExtension extension)
    {
        var definition = SchemaDefinitionReader.Read(extension.Urn, JsonNode.Parse(extension.DefinitionJson)!.AsObject());
        var json = definition.ToJson(ScimUrls.TenantBase(context, tenant));
        json.Insert(2, "resourceType", extension.ResourceType);
        json.Insert(3, "required", extension.Required);
        return json;
    }

    private static JsonNode? Member(JsonObject obj, string name) =>
        obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static IResult TenantNotFound(string id) =>
        Results.Problem(statusCode: 404, title: "Not found", detail: $"Tenant '{id}' not found.");

    private static IResult ExtensionNotFound(string id, string urn) =>
        Results.Problem(statusCode: 404, title: "Not found", detail: $"Tenant '{id}' has no schema extension '{urn}'.");
}
