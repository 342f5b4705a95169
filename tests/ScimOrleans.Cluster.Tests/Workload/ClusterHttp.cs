using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ScimOrleans.Cluster.Tests.Workload;

/// <summary>What one logical request ended with, after retries.</summary>
/// <param name="Status">The final status (never 5xx: those are retried).</param>
/// <param name="Body">The parsed JSON body, if any.</param>
/// <param name="Uncertain">An earlier attempt failed in a way that leaves its outcome unknown (connection lost after sending, 5xx, a body-less write refused after the client's own retry).</param>
/// <param name="Attempts">How many attempts it took.</param>
/// <param name="ServedBy">The silo that gave the final answer.</param>
internal sealed record Reply(HttpStatusCode Status, JsonObject? Body, bool Uncertain, int Attempts, Uri ServedBy)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>
/// A SCIM client for a whole cluster, behaving like an IdP behind a load balancer: each request goes to a silo
/// (round-robin from a preferred one); a refused connection, a lost connection or a 5xx is retried on the next silo
/// with a short back-off, because IdPs retry. The reply says whether an earlier attempt may have been applied.
/// </summary>
internal sealed class ClusterHttp : IDisposable
{
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(90);

    private readonly HttpClient http;
    private readonly Func<IReadOnlyList<Uri>> endpoints;
    private readonly string token;
    private readonly string tenant;

    /// <summary>Paths starting with <c>/</c> are taken from the silo root, others from the tenant's SCIM base.</summary>
    public ClusterHttp(Func<IReadOnlyList<Uri>> endpoints, string tenant, string token)
    {
        this.endpoints = endpoints;
        this.tenant = tenant;
        this.token = token;
        http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Successful (2xx) answers per silo: proves which silos served traffic.</summary>
    public ConcurrentDictionary<Uri, int> Served { get; } = new();

    /// <summary>Attempts that failed (connection errors and 5xx), for the test's report.</summary>
    public int FailedAttempts => failedAttempts;

    private int failedAttempts;

    public Task<Reply> GetAsync(string path, int preferred = 0) => SendAsync(HttpMethod.Get, path, null, preferred);

    public Task<Reply> PostAsync(string path, JsonNode body, int preferred = 0) => SendAsync(HttpMethod.Post, path, body, preferred);

    public Task<Reply> PatchAsync(string path, JsonNode body, int preferred = 0) => SendAsync(HttpMethod.Patch, path, body, preferred);

    public Task<Reply> DeleteAsync(string path, int preferred = 0) => SendAsync(HttpMethod.Delete, path, null, preferred);

    /// <summary>Sends to one given silo, once, without retries.</summary>
    public async Task<Reply> SendOnceAsync(Uri silo, HttpMethod method, string path, JsonNode? body)
    {
        using var response = await http.SendAsync(Request(silo, method, path, body));
        return new Reply(response.StatusCode, await ReadJsonAsync(response), false, 1, silo);
    }

    public async Task<Reply> SendAsync(HttpMethod method, string path, JsonNode? body, int preferred)
    {
        var deadline = DateTime.UtcNow + RetryBudget;
        var uncertain = false;
        Exception? lastError = null;
        for (var attempt = 1; ; attempt++)
        {
            var current = endpoints();
            var silo = current[(preferred + attempt - 1) % current.Count];
            var sent = false;
            try
            {
                using var request = Request(silo, method, path, body);
                sent = true;
                using var response = await http.SendAsync(request);
                if ((int)response.StatusCode < 500)
                {
                    var json = await ReadJsonAsync(response);
                    if (response.IsSuccessStatusCode)
                    {
                        Served.AddOrUpdate(silo, 1, (_, n) => n + 1);
                    }

                    return new Reply(response.StatusCode, json, uncertain, attempt, silo);
                }

                lastError = new HttpRequestException($"{(int)response.StatusCode} from {silo}: {await response.Content.ReadAsStringAsync()}");
                uncertain = true;
            }
            catch (HttpRequestException error) when (IsConnectionRefused(error))
            {
                // This connection reached no server. For a request with a body that means the attempt did nothing. A
                // request without one (DELETE) may have been sent first on a pooled connection that the dying silo
                // closed, and then retried by SocketsHttpHandler itself on a new one, which was refused
                // (dotnet/runtime#86714): the first send may have been applied.
                lastError = error;
                uncertain |= body is null && method != HttpMethod.Get;
            }
            catch (Exception error) when (sent && error is HttpRequestException or TaskCanceledException or IOException)
            {
                lastError = error;
                uncertain = true;
            }

            Interlocked.Increment(ref failedAttempts);
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{method} {path} kept failing for {RetryBudget}.", lastError);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 50 * attempt)));
        }
    }

    public void Dispose() => http.Dispose();

    private HttpRequestMessage Request(Uri silo, HttpMethod method, string path, JsonNode? body)
    {
        var target = path.StartsWith('/') ? new Uri(silo, path) : new Uri(silo, $"scim/v2/{tenant}/{path}");
        var request = new HttpRequestMessage(method, target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/scim+json");
        }

        return request;
    }

    private static async Task<JsonObject?> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
    }

    private static bool IsConnectionRefused(HttpRequestException error) =>
        error.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused };
}
