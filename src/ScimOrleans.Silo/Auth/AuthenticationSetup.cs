using Microsoft.AspNetCore.Authentication;

namespace ScimOrleans.Silo.Auth;

/// <summary>Registers the two authentication schemes and their policies.</summary>
public static class AuthenticationSetup
{
    public const string TenantPolicy = "tenant";
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddScimAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, TenantTokenHandler>(AuthSchemes.TenantToken, null)
            .AddScheme<AuthenticationSchemeOptions, AdminKeyHandler>(AuthSchemes.AdminKey, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(TenantPolicy, policy => policy.AddAuthenticationSchemes(AuthSchemes.TenantToken).RequireClaim(AuthSchemes.TenantClaim))
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(AuthSchemes.AdminKey).RequireRole("admin"));
        return services;
    }
}
