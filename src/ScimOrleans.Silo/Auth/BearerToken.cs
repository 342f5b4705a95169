using Microsoft.Net.Http.Headers;

namespace ScimOrleans.Silo.Auth;

/// <summary>Reads <c>Authorization: Bearer …</c>.</summary>
internal static class BearerToken
{
    public static string? Read(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && header.Length > prefix.Length
            ? header[prefix.Length..].Trim()
            : null;
    }
}
