using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Grains.Security;
using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.Silo.Auth;

/// <summary>
/// Authenticates the admin API by <c>Authorization: Bearer {admin key}</c>: the configured <c>Scim:AdminKey</c>
/// if set, otherwise the generated key whose hash the <see cref="IAdminKeyGrain"/> keeps.
/// </summary>
public sealed class AdminKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ScimOptions> scim,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string GrainKey = "system/admin-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = BearerToken.Read(Request);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        var configured = scim.Value.AdminKey;
        var valid = string.IsNullOrEmpty(configured)
            ? await grains.GetGrain<IAdminKeyGrain>(GrainKey).Verify(key)
            : SecretHasher.HashesEqual(SecretHasher.Sha256Hex(configured), SecretHasher.Sha256Hex(key));
        if (!valid)
        {
            return AuthenticateResult.Fail("Invalid admin key.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, "admin")], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"admin\"";
        await Results.Problem(statusCode: 401, title: "Unauthorized", detail: "A valid admin key is required.").ExecuteAsync(Context);
    }
}
