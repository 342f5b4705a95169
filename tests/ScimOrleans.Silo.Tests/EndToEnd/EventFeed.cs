using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>Reads a tenant's event feed over HTTP, following nextCursor.</summary>
internal sealed class EventFeed(Uri serverAddress, string tenant, string token)
{
    private string cursor = "";

    /// <summary>Events committed since the previous call (or since the start).</summary>
    public async Task<List<JsonObject>> ReadNewAsync()
    {
        using var http = new HttpClient { BaseAddress = serverAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var all = new List<JsonObject>();
        while (true)
        {
            var body = JsonNode.Parse(await http.GetStringAsync($"/api/v1/tenants/{tenant}/events?after={cursor}&limit=50"))!.AsObject();
            var data = body["data"]!.AsArray();
            cursor = body["nextCursor"]!.GetValue<string>();
            all.AddRange(data.Select(e => e!.AsObject()));
            if (data.Count < 50)
            {
                return all;
            }
        }
    }

    /// <summary>Skips everything already in the feed.</summary>
    public async Task SkipToEndAsync() => await ReadNewAsync();

    public static IEnumerable<string> Types(IEnumerable<JsonObject> events) => events.Select(e => e["type"]!.GetValue<string>());
}
