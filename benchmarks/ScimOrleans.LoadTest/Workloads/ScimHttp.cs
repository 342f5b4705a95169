using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using ScimOrleans.LoadTest.Driver;

namespace ScimOrleans.LoadTest.Workloads;

/// <summary>One pooled HTTP client for a target (one connection per concurrent worker), timing every request.</summary>
internal sealed class ScimHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue ScimJson = new("application/scim+json") { CharSet = "utf-8" };
    private readonly HttpClient client;

    public ScimHttp(Uri scimBase, string token, int concurrency)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        client = new HttpClient(handler) { BaseAddress = scimBase, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/scim+json"));
    }

    /// <summary>Sends a request, records its latency under <paramref name="operation"/>, and reports the status and body.</summary>
    public async Task<ScimReply> SendAsync(PhaseContext context, string operation, HttpMethod method, string path, string? json, int expectedStatus)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = ScimJson;
        }

        var started = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var ok = status == expectedStatus;
        context.Record(operation, started, ok, ok ? null : $"{method} {path} -> {status} {Truncate(body)}");
        return new ScimReply(status, body, response.Headers.Location, ok);
    }

    public void Dispose() => client.Dispose();

    private static string Truncate(string body) => body.Length <= 300 ? body : body[..300] + "…";
}

internal readonly record struct ScimReply(int Status, string Body, Uri? Location, bool Ok)
{
    /// <summary>The new resource's id, from the Location header (…/Users/{id}).</summary>
    public string? CreatedId => Location is null ? null : Location.OriginalString[(Location.OriginalString.LastIndexOf('/') + 1)..];
}
