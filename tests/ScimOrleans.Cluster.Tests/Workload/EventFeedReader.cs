using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ScimOrleans.Cluster.Tests.Processes;

namespace ScimOrleans.Cluster.Tests.Workload;

/// <summary>Reads a tenant's whole event feed through the cluster, following <c>nextCursor</c>.</summary>
internal static class EventFeedReader
{
    public static async Task<List<JsonObject>> ReadAllAsync(ClusterHttp http)
    {
        var events = new List<JsonObject>();
        var cursor = "0";
        while (true)
        {
            var reply = await http.GetAsync($"/api/v1/tenants/{ProcessCluster.Tenant}/events?after={cursor}&limit=1000");
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            var data = reply.Body!["data"]!.AsArray();
            events.AddRange(data.Select(e => e!.AsObject()));
            cursor = reply.Body["nextCursor"]!.GetValue<string>();
            if (data.Count == 0)
            {
                return events;
            }
        }
    }

    public static long Cursor(JsonObject @event) => long.Parse(@event["cursor"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    public static string Type(JsonObject @event) => @event["type"]!.GetValue<string>();

    public static string ResourceId(JsonObject @event) => @event["resourceId"]!.GetValue<string>();

    public static string? DataString(JsonObject @event, string name) => @event["data"]?[name]?.GetValue<string>();
}
