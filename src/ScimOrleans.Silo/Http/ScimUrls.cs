using Microsoft.Extensions.Options;
using ScimOrleans.Silo.Hosting;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Http;

/// <summary>Absolute URLs of a tenant's SCIM resources, for <c>Location</c>, <c>meta.location</c> and <c>$ref</c>.</summary>
public static class ScimUrls
{
    public static string TenantBase(HttpContext context, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var configured = context.RequestServices.GetRequiredService<IOptions<ScimOptions>>().Value.PublicBaseUrl;
        var root = string.IsNullOrEmpty(configured)
            ? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}"
            : configured.TrimEnd('/');
        return $"{root}/scim/v2/{tenantId}";
    }

    public static string Endpoint(ResourceKind kind) => kind == ResourceKind.User ? "Users" : "Groups";

    public static string Resource(string tenantBase, ResourceKind kind, string id) =>
        $"{tenantBase}/{Endpoint(kind)}/{Uri.EscapeDataString(id)}";
}
