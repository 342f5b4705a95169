using System.Text.Json.Serialization;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Silo.Admin;
using ScimOrleans.Silo.Auth;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>The operator's API under <c>/admin/v1</c>, protected by the admin key. Errors are RFC 9457 problem details.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1/tenants")
            .RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .WithTags("Admin");

        admin.MapPost("", CreateTenant);
        admin.MapGet("", ListTenants);
        admin.MapGet("/{id}", GetTenant);
        admin.MapDelete("/{id}", DeleteTenant);
        admin.MapPost("/{id}/tokens", IssueToken);
        admin.MapDelete("/{id}/tokens/{tokenId}", RevokeToken);
        admin.MapGet("/{id}/policy", GetPolicy);
        admin.MapPut("/{id}/policy", SetPolicy);
        AdminSchemaEndpoints.Map(admin);
        return app;
    }

    private static async Task<IResult> CreateTenant(HttpContext context, CreateTenantRequest request, IGrainFactory grains, TenantDirectory directory)
    {
        if (!TenantIds.IsValid(request.Id))
        {
            return Results.Problem(statusCode: 400, title: "Invalid tenant id", detail: "Use 1–63 lower-case letters, digits or inner dashes.");
        }

        var grain = grains.GetTenantGrain(request.Id!);
        var created = await grain.Create(request.MembershipPolicy ?? MembershipPolicy.RemoveFromGroups);
        if (created is null)
        {
            return Results.Problem(statusCode: 409, title: "Tenant exists", detail: $"Tenant '{request.Id}' already exists.");
        }

        var token = (await grain.IssueToken(request.TokenDescription ?? "initial"))!;
        directory.Invalidate(request.Id!);
        var tenant = (await grain.Get())!;
        return Results.Created($"/admin/v1/tenants/{tenant.TenantId}", new CreatedTenantResponse(ToResponse(context, tenant), token.TokenId, token.Token));
    }

    private static async Task<IResult> ListTenants(HttpContext context, IScimStore store, IGrainFactory grains)
    {
        var records = await store.ListTenantsAsync(context.RequestAborted);
        var tenants = new List<TenantResponse>(records.Count);
        foreach (var record in records)
        {
            if (await grains.GetTenantGrain(record.TenantId).Get() is { } tenant)
            {
                tenants.Add(ToResponse(context, tenant));
            }
        }

        return Results.Ok(tenants);
    }

    private static async Task<IResult> GetTenant(HttpContext context, string id, IGrainFactory grains) =>
        await grains.GetTenantGrain(id).Get() is { } tenant
            ? Results.Ok(ToResponse(context, tenant))
            : TenantNotFound(id);

    private static async Task<IResult> DeleteTenant(string id, IGrainFactory grains, TenantDirectory directory)
    {
        var deleted = await grains.GetTenantGrain(id).Delete();
        directory.Invalidate(id);
        return deleted ? Results.NoContent() : TenantNotFound(id);
    }

    private static async Task<IResult> IssueToken(string id, IssueTokenRequest? request, IGrainFactory grains, TenantDirectory directory)
    {
        var token = await grains.GetTenantGrain(id).IssueToken(request?.Description);
        directory.Invalidate(id);
        return token is null ? TenantNotFound(id) : Results.Created($"/admin/v1/tenants/{id}/tokens/{token.TokenId}", new IssuedTokenResponse(token.TokenId, token.Token));
    }

    private static async Task<IResult> RevokeToken(string id, string tokenId, IGrainFactory grains, TenantDirectory directory)
    {
        var revoked = await grains.GetTenantGrain(id).RevokeToken(tokenId);
        directory.Invalidate(id);
        return revoked ? Results.NoContent() : Results.Problem(statusCode: 404, title: "Not found", detail: $"Token '{tokenId}' of tenant '{id}' not found.");
    }

    private static async Task<IResult> GetPolicy(string id, IGrainFactory grains) =>
        await grains.GetTenantGrain(id).Get() is { } tenant
            ? Results.Ok(new PolicyBody(tenant.MembershipPolicy))
            : TenantNotFound(id);

    private static async Task<IResult> SetPolicy(string id, PolicyBody body, IGrainFactory grains, TenantDirectory directory)
    {
        if (body.MembershipPolicy is not { } policy)
        {
            return Results.Problem(statusCode: 400, title: "Invalid policy", detail: "membershipPolicy is required: removeFromGroups or keepMemberships.");
        }

        var tenant = await grains.GetTenantGrain(id).SetMembershipPolicy(policy);
        directory.Invalidate(id);
        return tenant is null ? TenantNotFound(id) : Results.Ok(new PolicyBody(tenant.MembershipPolicy));
    }

    private static TenantResponse ToResponse(HttpContext context, TenantInfo tenant) =>
        new(
            tenant.TenantId,
            ScimUrls.TenantBase(context, tenant.TenantId),
            tenant.Created,
            tenant.MembershipPolicy,
            [.. tenant.Tokens.Select(t => new TokenSummary(t.TokenId, t.Created, t.Description))]);

    private static IResult TenantNotFound(string id) =>
        Results.Problem(statusCode: 404, title: "Not found", detail: $"Tenant '{id}' not found.");

    /// <summary>Enum values in the admin API are camelCase strings: <c>removeFromGroups</c>, <c>keepMemberships</c>.</summary>
    public static void ConfigureJson(Microsoft.AspNetCore.Http.Json.JsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
    }
}
