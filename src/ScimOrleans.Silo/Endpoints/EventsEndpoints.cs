using System.Globalization;
using System.Text.Json.Nodes;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Silo.Auth;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// The tenant's ordered event feed: <c>GET /api/v1/tenants/{tenant}/events?after={cursor}&amp;limit=N</c>, authorised
/// by the tenant's SCIM token. Events come in commit order; <c>nextCursor</c> is what the next call passes as <c>after</c>.
/// </summary>
public static class EventsEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapEventsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/tenants/{tenant}/events", ReadAsync)
            .RequireAuthorization(AuthenticationSetup.TenantPolicy)
            .WithTags("Events");
        return app;
    }

    private static async Task<IResult> ReadAsync(HttpContext context, string tenant, IScimStore store, string? after, string? limit)
    {
        var afterSequence = 0L;
        if (!string.IsNullOrEmpty(after)
            && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out afterSequence) || afterSequence < 0))
        {
            throw new ScimException(400, ScimTypes.InvalidCursor, $"'{after}' is not a cursor of this feed.");
        }

        var take = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1))
        {
            throw new ScimException(400, ScimTypes.InvalidCount, "'limit' must be a positive integer.");
        }

        take = Math.Min(take, MaxLimit);
        var events = await store.ReadEventsAsync(tenant, afterSequence, take, context.RequestAborted);
        var data = new JsonArray();
        foreach (var stored in events)
        {
            data.Add(new JsonObject
            {
                ["cursor"] = stored.Sequence.ToString(CultureInfo.InvariantCulture),
                ["type"] = stored.Type,
                ["resourceType"] = ResourceRepresentation.ResourceTypeName(stored.ResourceKind),
                ["resourceId"] = stored.ResourceId,
                ["occurredAt"] = ResourceRepresentation.FormatTimestamp(stored.OccurredAt),
                ["data"] = stored.DataJson is null ? null : JsonNode.Parse(stored.DataJson),
            });
        }

        var next = events.Count > 0 ? events[^1].Sequence : afterSequence;
        return Results.Json(new JsonObject
        {
            ["data"] = data,
            ["nextCursor"] = next.ToString(CultureInfo.InvariantCulture),
        });
    }
}
