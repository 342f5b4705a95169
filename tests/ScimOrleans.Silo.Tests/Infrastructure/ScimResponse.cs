using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace ScimOrleans.Silo.Tests.Infrastructure;

/// <summary>A response as the tests read it: status, parsed body (if any) and headers.</summary>
public sealed record ScimResponse(HttpStatusCode Status, JsonObject? Body, HttpResponseHeaders Headers, string? ContentType)
{
    public JsonObject Json => Body ?? throw new InvalidOperationException($"Response {(int)Status} has no JSON body.");

    public string Id => Json["id"]!.GetValue<string>();

    public string? ScimType => Body?["scimType"]?.GetValue<string>();

    /// <summary>Asserts the status and, for SCIM errors, that the body has the RFC 7644 §3.12 shape.</summary>
    public ScimResponse Expect(HttpStatusCode status)
    {
        Assert.True(status == Status, $"Expected {(int)status} but got {(int)Status}: {Body?.ToJsonString()}");
        if ((int)status >= 400)
        {
            Assert.NotNull(Body);
            Assert.Equal("urn:ietf:params:scim:api:messages:2.0:Error", Body["schemas"]![0]!.GetValue<string>());
            Assert.Equal(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), Body["status"]!.GetValue<string>());
        }

        return this;
    }
}
