using System.Text;
using Microsoft.Extensions.Options;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.Silo.Http;

/// <summary>Reads request bodies as text, bounded by <see cref="ScimOptions.MaxRequestBytes"/>.</summary>
public static class RequestBodies
{
    public static Task<string> ReadAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ReadAsync(context, context.RequestServices.GetRequiredService<IOptions<ScimOptions>>().Value.MaxRequestBytes);
    }

    /// <summary>Reads the body with a limit of its own (e.g. <c>bulk.maxPayloadSize</c>); larger → 413 with <paramref name="tooLargeDetail"/>.</summary>
    public static async Task<string> ReadAsync(HttpContext context, int limit, string? tooLargeDetail = null)
    {
        var utf8 = await ReadUtf8Async(context, limit, tooLargeDetail);
        try
        {
            return new UTF8Encoding(false, true).GetString(utf8.Span);
        }
        catch (DecoderFallbackException)
        {
            throw ScimException.InvalidSyntax("The request body is not valid UTF-8.");
        }
    }

    /// <summary>
    /// As <see cref="ReadAsync(HttpContext, int, string?)"/>, but the bytes as sent (UTF-8, not checked here): for a
    /// large body that a UTF-8 JSON parser reads directly, without a UTF-16 copy.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>> ReadUtf8Async(HttpContext context, int limit, string? tooLargeDetail = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit, tooLargeDetail);
        }

        // The server-wide body limit may be lower than this endpoint's; raise it for this request before reading.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size
            && size.MaxRequestBodySize < limit + 1L)
        {
            size.MaxRequestBodySize = limit + 1L;
        }

        // Sized from Content-Length when the client sent one: a growing stream would copy a large body (a /Bulk of
        // a thousand creates is ~0.6 MB) through ever bigger large-object-heap arrays, each a candidate for a full GC.
        // Kestrel delivers exactly Content-Length bytes (or fails the read), so a declared body is complete once that many
        // have arrived.
        var declared = context.Request.ContentLength is { } value and > 0 ? (int)value : (int?)null;
        var buffer = new byte[declared ?? 16 * 1024];
        var length = 0;
        while (length != declared)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= limit + 1L)
                {
                    throw TooLarge(limit, tooLargeDetail);
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit + 1L));
            }

            var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (length > limit)
            {
                throw TooLarge(limit, tooLargeDetail);
            }
        }

        if (length == 0)
        {
            throw ScimException.InvalidSyntax("The request body is empty.");
        }

        return buffer.AsMemory(0, length);
    }

    private static ScimException TooLarge(int limit, string? detail) =>
        new(413, null, detail ?? $"The request body exceeds the limit of {limit} bytes.");
}
