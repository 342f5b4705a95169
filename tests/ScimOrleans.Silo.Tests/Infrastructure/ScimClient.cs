using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ScimOrleans.Silo.Tests.Infrastructure;

/// <summary>A thin SCIM client over HttpClient for one tenant, speaking application/scim+json.</summary>
public sealed class ScimClient : IDisposable
{
    private readonly HttpClient http;

    public ScimClient(Uri serverAddress, string tenant, string? token)
    {
        http = new HttpClient { BaseAddress = new Uri(serverAddress, $"/scim/v2/{tenant}/") };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public HttpClient Http => http;

    public Task<ScimResponse> GetAsync(string path, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        SendAsync(HttpMethod.Get, path, null, headers);

    public Task<ScimResponse> PostAsync(string path, JsonNode body, string mediaType = "application/scim+json") =>
        SendAsync(HttpMethod.Post, path, body.ToJsonString(), null, mediaType);

    public Task<ScimResponse> PutAsync(string path, JsonNode body, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        SendAsync(HttpMethod.Put, path, body.ToJsonString(), headers);

    public Task<ScimResponse> PatchAsync(string path, JsonNode body, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        SendAsync(HttpMethod.Patch, path, body.ToJsonString(), headers);

    public Task<ScimResponse> PatchRawAsync(string path, string body) => SendAsync(HttpMethod.Patch, path, body, null);

    public Task<ScimResponse> PostRawAsync(string path, string body) => SendAsync(HttpMethod.Post, path, body, null);

    public Task<ScimResponse> DeleteAsync(string path, IEnumerable<KeyValuePair<string, string>>? headers = null) =>
        SendAsync(HttpMethod.Delete, path, null, headers);

    /// <summary>A PatchOp request from (op, path, value) triples; a null path makes a path-less operation.</summary>
    public static JsonObject PatchOp(params (string Op, string? Path, JsonNode? Value)[] operations)
    {
        var ops = new JsonArray();
        foreach (var (op, path, value) in operations)
        {
            var entry = new JsonObject { ["op"] = op };
            if (path is not null)
            {
                entry["path"] = path;
            }

            if (value is not null)
            {
                entry["value"] = value;
            }

            ops.Add(entry);
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
            ["Operations"] = ops,
        };
    }

    public void Dispose() => http.Dispose();

    private async Task<ScimResponse> SendAsync(HttpMethod method, string path, string? body, IEnumerable<KeyValuePair<string, string>>? headers, string mediaType = "application/scim+json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
            // A large body may be refused (413) before it is read; waiting for "100 Continue" keeps the client from
            // writing into a connection the server has already closed (a broken pipe instead of the 413).
            request.Headers.ExpectContinue = body.Length > 64 * 1024;
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        return new ScimResponse(response.StatusCode, json, response.Headers, response.Content.Headers.ContentType?.MediaType);
    }
}
