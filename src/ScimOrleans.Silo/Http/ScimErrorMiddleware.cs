using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Silo.Http;

/// <summary>
/// Turns every failure under the SCIM paths into a SCIM error body: thrown <see cref="ScimException"/>s, bad
/// requests Kestrel rejects, unexpected exceptions (500, logged, no internals leaked), and bare status codes such
/// as an unknown route (404) or method (405).
/// </summary>
public sealed class ScimErrorMiddleware(RequestDelegate next, ILogger<ScimErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ScimException error) when (!context.Response.HasStarted)
        {
            await ScimResponses.WriteErrorAsync(context, error);
            return;
        }
        catch (BadHttpRequestException error) when (!context.Response.HasStarted)
        {
            var status = error.StatusCode == StatusCodes.Status413PayloadTooLarge ? 413 : 400;
            await ScimResponses.WriteErrorAsync(context, new ScimException(status, status == 400 ? ScimTypes.InvalidSyntax : null, error.Message));
            return;
        }
        catch (Exception error) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            logger.LogError(error, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            await ScimResponses.WriteErrorAsync(context, new ScimException(500, null, "Internal server error."));
            return;
        }

        if (!context.Response.HasStarted
            && context.Response.StatusCode >= 400
            && context.Response.ContentLength is null or 0
            && context.Response.ContentType is null
            && context.Request.Path.StartsWithSegments("/scim", StringComparison.OrdinalIgnoreCase))
        {
            var status = context.Response.StatusCode;
            var detail = status switch
            {
                404 => "No such endpoint.",
                405 => $"Method {context.Request.Method} is not supported here.",
                _ => "Request failed.",
            };
            await ScimResponses.WriteErrorAsync(context, new ScimException(status, null, detail));
        }
    }
}
