using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Security;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Silo.Http;

namespace ScimOrleans.Silo.Auth;

/// <summary>
/// Authenticates a SCIM request by its bearer token against the tenant named in the route, so a token of tenant A
/// can never act on tenant B. Failures answer 401 with a SCIM error body (Okta's R11 check requires it).
/// </summary>
public sealed class TenantTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TenantDirectory directory) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var tenantId = Context.GetRouteValue("tenant") as string;
        var token = BearerToken.Read(Request);
        if (tenantId is null || token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var tenant = await directory.GetAsync(tenantId);
        if (tenant is null)
        {
            return AuthenticateResult.Fail("Unknown tenant or token.");
        }

        var hash = SecretHasher.Sha256Hex(token);
        var match = false;
        foreach (var candidate in tenant.Tokens)
        {
            // Check every token so the time taken does not tell which one (if any) matched.
            match |= SecretHasher.HashesEqual(candidate.Sha256, hash);
        }

        if (!match)
        {
            return AuthenticateResult.Fail("Unknown tenant or token.");
        }

        var identity = new ClaimsIdentity([new Claim(AuthSchemes.TenantClaim, tenantId)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"scim\"";
        return ScimResponses.WriteErrorAsync(Context, ScimException.Unauthorized("A valid bearer token for this tenant is required."));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ScimResponses.WriteErrorAsync(Context, new ScimException(403, null, "This token may not perform this operation."));
}
