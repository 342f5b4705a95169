using System.Text;
using Microsoft.Extensions.Options;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.Silo.Http;

/// <summary>Reads request bodies as text, bounded by <see cref="ScimOptions.MaxRequestBytes"/>.</summary>
public static class RequestBodies
{
    public static async Task<string> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var limit = context.RequestServices.GetRequiredService<IOptions<ScimOptions>>().Value.MaxRequestBytes;
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw ScimException.InvalidSyntax("The request body is empty.");
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw ScimException.InvalidSyntax("The request body is not valid UTF-8.");
        }
    }

    private static ScimException TooLarge(int limit) =>
        new(413, null, $"The request body exceeds the limit of {limit} bytes.");
}
