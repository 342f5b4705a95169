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
    /// Writes <paramref name="body"/> into the response's pipe (no intermediate string or stream) and flushes it once.
    /// </summary>
    public static async Task WriteJsonAsync(HttpContext context, int status, IJsonBody body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = ScimMediaTypes.ScimUtf8;
        var pipe = context.Response.BodyWriter;
        using (var writer = new Utf8JsonWriter(pipe, WriterOptions))
        {
            body.WriteTo(writer);
        }

        await pipe.FlushAsync(context.RequestAborted);
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
}
