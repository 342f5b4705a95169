using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Silo.Http;

/// <summary>Writes SCIM JSON responses and errors.</summary>
public static class ScimResponses
{
    // Relaxed escaping: SCIM bodies are JSON for machines, never embedded in HTML, and clients compare meta.version
    // (W/"3") textually with the ETag header, so quotes must not come out as \u0022.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return WriteJsonAsync(context, status, new NodeBody(body));
    }

    /// <summary>
    /// Writes <paramref name="body"/> with its Content-Length: rendered into this thread's buffer (synchronously, so no
    /// other request shares it meanwhile), copied into the response's pipe, flushed once. A known length spares the
    /// server chunk framing and the client chunk parsing on every response.
    /// </summary>
    public static async Task WriteJsonAsync(HttpContext context, int status, IJsonBody body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ScimMediaTypes.ScimUtf8;
        RenderBuffer.Render(body, response);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, ScimException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return WriteJsonAsync(context, error.Status, error.ToJson());
    }

    /// <summary>An IResult for minimal-API handlers: a SCIM JSON body with optional ETag and Location headers.</summary>
    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK, string? etag = null, string? location = null) =>
        new ScimJsonResult(new NodeBody(body), status, etag, location);

    /// <summary>An IResult for a body that writes itself (a resource, a list page).</summary>
    public static IResult Json(IJsonBody body, int status = StatusCodes.Status200OK, string? etag = null, string? location = null) =>
        new ScimJsonResult(body, status, etag, location);

    public static IResult Error(ScimException error) => Json(error.ToJson(), error.Status);

    private sealed record NodeBody(JsonNode Node) : IJsonBody
    {
        public void WriteTo(Utf8JsonWriter writer) => Node.WriteTo(writer);
    }

    private sealed class ScimJsonResult(IJsonBody body, int status, string? etag, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (etag is not null)
            {
                httpContext.Response.Headers.ETag = etag;
            }

            if (location is not null)
            {
                httpContext.Response.Headers.Location = location;
            }

            return WriteJsonAsync(httpContext, status, body);
        }
    }

    /// <summary>A JSON writer and its buffer per thread, reused by every response rendered on that thread.</summary>
    private static class RenderBuffer
    {
        // A buffer that grew for a big list page is not kept: it would stay allocated on its thread for good.
        private const int KeptCapacity = 64 * 1024;

        [ThreadStatic]
        private static ArrayBufferWriter<byte>? buffer;

        [ThreadStatic]
        private static Utf8JsonWriter? writer;

        public static void Render(IJsonBody body, HttpResponse response)
        {
            var bytes = buffer ??= new ArrayBufferWriter<byte>(4096);
            var json = writer ??= new Utf8JsonWriter(bytes, WriterOptions);
            try
            {
                json.Reset(bytes);
                body.WriteTo(json);
                json.Flush();
                response.ContentLength = bytes.WrittenCount;
                response.BodyWriter.Write(bytes.WrittenSpan);
            }
            finally
            {
                if (bytes.Capacity > KeptCapacity)
                {
                    buffer = null;
                }
                else
                {
                    bytes.ResetWrittenCount();
                }

                json.Reset();
            }
        }
    }
}
