using System.Globalization;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>The outcome of one bulk operation, as the BulkResponse reports it (RFC 7644 §3.7.3).</summary>
internal sealed record BulkOperationResult(int Index, string Method, string? BulkId, string? Location, string? Version, int Status, ScimException? Error)
{
    /// <summary>
    /// <c>method</c>, <c>bulkId</c>, <c>location</c>, <c>version</c>, <c>status</c> (a string, as in RFC 7644's
    /// examples) and, for a failure, <c>response</c>: the SCIM error body the single request would have returned.
    /// </summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["method"] = Method };
        if (BulkId is not null)
        {
            json["bulkId"] = BulkId;
        }

        if (Location is not null)
        {
            json["location"] = Location;
        }

        if (Version is not null)
        {
            json["version"] = Version;
        }

        json["status"] = Status.ToString(CultureInfo.InvariantCulture);
        if (Error is not null)
        {
            json["response"] = Error.ToJson();
        }

        return json;
    }
}
