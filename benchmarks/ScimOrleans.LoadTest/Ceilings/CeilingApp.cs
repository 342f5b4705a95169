using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScimOrleans.LoadTest.Ceilings;

/// <summary>
/// The ceiling apps' HTTP surface: the same routes the load driver uses on the real server
/// (POST/GET/PATCH <c>/scim/v2/{tenant}/Users</c>, <c>GET /Users?filter=userName eq "x"</c>, <c>startIndex</c>/<c>count</c>
/// paging, POST <c>/Groups</c>, PATCH <c>/Groups/{id}</c> member add), with the least work a correct answer needs:
/// parse the JSON body, assign an id, keep it (<see cref="ICeilingStore"/>), answer with the document.
/// No schema validation, no dialect normalisation beyond string booleans, no events, no versioning.
/// </summary>
internal static partial class CeilingApp
{
    private const string ScimJson = "application/scim+json";

    public static WebApplication Build(ICeilingStore store, string urls, string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var expected = "Bearer " + token;
        app.Use(async (context, next) =>
        {
            if (!string.Equals(context.Request.Headers.Authorization.ToString(), expected, StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });

        var scim = app.MapGroup("/scim/v2/{tenant}");
        scim.MapPost("/Users", (HttpContext context, string tenant) => CreateUserAsync(store, context, tenant));
        scim.MapGet("/Users/{id}", async (HttpContext context, string tenant, string id) =>
            await store.GetUserAsync(tenant, id, context.RequestAborted) is { } json ? Json(json) : NotFound());
        scim.MapGet("/Users", (HttpContext context, string tenant) => ListUsersAsync(store, context, tenant));
        scim.MapPatch("/Users/{id}", (HttpContext context, string tenant, string id) => PatchUserAsync(store, context, tenant, id));
        scim.MapPost("/Groups", (HttpContext context, string tenant) => CreateGroupAsync(store, context, tenant));
        scim.MapPatch("/Groups/{id}", (HttpContext context, string tenant, string id) => PatchGroupAsync(store, context, tenant, id));
        return app;
    }

    private static async Task<IResult> CreateUserAsync(ICeilingStore store, HttpContext context, string tenant)
    {
        if (await ReadObjectAsync(context) is not { } body || body["userName"] is not JsonValue userNameNode
            || !userNameNode.TryGetValue<string>(out var userName) || userName.Length == 0)
        {
            return BadRequest("userName is required.");
        }

        var id = Guid.NewGuid().ToString("D");
        var document = WithMeta(body, id, "User", context, tenant, "Users");
        if (!await store.CreateUserAsync(tenant, id, userName.ToLowerInvariant(), document, context.RequestAborted))
        {
            return Error(409, "uniqueness", "userName is taken.");
        }

        context.Response.Headers.Location = Location(context, tenant, "Users", id);
        return Json(document.ToJsonString(), StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListUsersAsync(ICeilingStore store, HttpContext context, string tenant)
    {
        var query = context.Request.Query;
        var startIndex = Math.Max(ParseInt(query["startIndex"]) ?? 1, 1);
        var count = Math.Clamp(ParseInt(query["count"]) ?? 100, 0, 1000);
        IReadOnlyList<string> documents;
        int total;
        if (query["filter"].ToString() is { Length: > 0 } filter)
        {
            var match = UserNameEq().Match(filter);
            if (!match.Success)
            {
                return Error(400, "invalidFilter", "The ceiling answers only userName eq \"value\".");
            }

            var userName = JsonSerializer.Deserialize<string>("\"" + match.Groups[1].Value + "\"")!;
            documents = await store.FindByUserNameAsync(tenant, userName.ToLowerInvariant(), context.RequestAborted);
            total = documents.Count;
            documents = documents.Skip(startIndex - 1).Take(count).ToList();
        }
        else
        {
            (total, documents) = await store.PageAsync(tenant, startIndex - 1, count, context.RequestAborted);
        }

        var body = new StringBuilder(256 + documents.Sum(d => d.Length + 1));
        body.Append("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\"totalResults\":")
            .Append(total.ToString(CultureInfo.InvariantCulture))
            .Append(",\"startIndex\":").Append(startIndex.ToString(CultureInfo.InvariantCulture))
            .Append(",\"itemsPerPage\":").Append(documents.Count.ToString(CultureInfo.InvariantCulture))
            .Append(",\"Resources\":[");
        for (var i = 0; i < documents.Count; i++)
        {
            if (i > 0)
            {
                body.Append(',');
            }

            body.Append(documents[i]);
        }

        body.Append("]}");
        return Json(body.ToString());
    }

    private static async Task<IResult> PatchUserAsync(ICeilingStore store, HttpContext context, string tenant, string id)
    {
        if (await ReadObjectAsync(context) is not { } body || ReadOperations(body, out var members) is not { } sets || members.Count > 0)
        {
            return BadRequest("Unsupported PatchOp.");
        }

        return await store.PatchUserAsync(tenant, id, sets, context.RequestAborted) is { } json ? Json(json) : NotFound();
    }

    private static async Task<IResult> CreateGroupAsync(ICeilingStore store, HttpContext context, string tenant)
    {
        if (await ReadObjectAsync(context) is not { } body || body["displayName"] is not JsonValue nameNode
            || !nameNode.TryGetValue<string>(out var displayName) || displayName.Length == 0)
        {
            return BadRequest("displayName is required.");
        }

        var id = Guid.NewGuid().ToString("D");
        var document = WithMeta(body, id, "Group", context, tenant, "Groups");
        if (!await store.CreateGroupAsync(tenant, id, displayName.ToLowerInvariant(), document, context.RequestAborted))
        {
            return Error(409, "uniqueness", "displayName is taken.");
        }

        context.Response.Headers.Location = Location(context, tenant, "Groups", id);
        return Json(document.ToJsonString(), StatusCodes.Status201Created);
    }

    private static async Task<IResult> PatchGroupAsync(ICeilingStore store, HttpContext context, string tenant, string id)
    {
        if (await ReadObjectAsync(context) is not { } body || ReadOperations(body, out var members) is not { Count: 0 } || members.Count == 0)
        {
            return BadRequest("The ceiling answers only member adds on groups.");
        }

        return await store.AddMembersAsync(tenant, id, members, context.RequestAborted) ? Results.NoContent() : NotFound();
    }

    /// <summary>add/replace operations as attribute sets; member adds (<c>path: members</c>) are collected apart.</summary>
    private static List<AttributeSet>? ReadOperations(JsonObject body, out List<string> memberAdds)
    {
        memberAdds = [];
        if (body["Operations"] is not JsonArray operations)
        {
            return null;
        }

        var sets = new List<AttributeSet>(operations.Count);
        foreach (var node in operations)
        {
            if (node is not JsonObject operation || operation["op"]?.GetValue<string>() is not { } op
                || !(op.Equals("add", StringComparison.OrdinalIgnoreCase) || op.Equals("replace", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            var path = operation["path"]?.GetValue<string>();
            var value = operation["value"];
            if (path is null)
            {
                if (value is not JsonObject merge)
                {
                    return null;
                }

                var normalized = new JsonObject();
                foreach (var (name, item) in merge)
                {
                    normalized[name] = Normalize(name, item);
                }

                sets.Add(new AttributeSet(null, normalized));
            }
            else if (path.Equals("members", StringComparison.OrdinalIgnoreCase))
            {
                if (value is not JsonArray list)
                {
                    return null;
                }

                foreach (var member in list)
                {
                    if (member?["value"]?.GetValue<string>() is { } memberId)
                    {
                        memberAdds.Add(memberId);
                    }
                }
            }
            else
            {
                var segments = path.Split('.');
                if (segments.Length > 2 || path.Contains('[', StringComparison.Ordinal))
                {
                    return null;
                }

                sets.Add(new AttributeSet(segments, Normalize(segments[^1], value)));
            }
        }

        return sets;
    }

    /// <summary>Entra sends booleans as "True"/"False".</summary>
    private static JsonNode? Normalize(string name, JsonNode? value)
    {
        if (name.Equals("active", StringComparison.OrdinalIgnoreCase) && value is JsonValue text && text.TryGetValue<string>(out var s)
            && bool.TryParse(s, out var flag))
        {
            return JsonValue.Create(flag);
        }

        return value?.DeepClone();
    }

    private static JsonObject WithMeta(JsonObject body, string id, string resourceType, HttpContext context, string tenant, string collection)
    {
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        var document = new JsonObject { ["id"] = id };
        foreach (var (name, value) in body)
        {
            if (name is not "id" and not "meta")
            {
                document[name] = value?.DeepClone();
            }
        }

        document["meta"] = new JsonObject
        {
            ["resourceType"] = resourceType,
            ["created"] = now,
            ["lastModified"] = now,
            ["location"] = Location(context, tenant, collection, id),
        };
        return document;
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Location(HttpContext context, string tenant, string collection, string id) =>
        $"{context.Request.Scheme}://{context.Request.Host}/scim/v2/{tenant}/{collection}/{id}";

    private static int? ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;

    private static IResult Json(string json, int status = StatusCodes.Status200OK) =>
        Results.Text(json, ScimJson, Encoding.UTF8, status);

    private static IResult NotFound() => Error(404, null, "Not found.");

    private static IResult BadRequest(string detail) => Error(400, "invalidValue", detail);

    private static IResult Error(int status, string? scimType, string detail)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:Error"),
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
            ["detail"] = detail,
        };
        if (scimType is not null)
        {
            body["scimType"] = scimType;
        }

        return Json(body.ToJsonString(), status);
    }

    [GeneratedRegex("""^\s*userName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserNameEq();
}
