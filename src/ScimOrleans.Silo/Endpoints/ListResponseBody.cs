using System.Text.Json;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Silo.Http;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// A ListResponse (RFC 7644 §3.4.2), members in the order of the RFC's examples: schemas, totalResults, startIndex,
/// itemsPerPage, nextCursor (RFC 9865), Resources.
/// </summary>
public sealed record ListResponseBody(int TotalResults, int? StartIndex, string? NextCursor, IReadOnlyList<ResourceBody> Page) : IJsonBody
{
    /// <inheritdoc />
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartArray("schemas");
        writer.WriteStringValue(ScimUris.ListResponse);
        writer.WriteEndArray();
        writer.WriteNumber("totalResults", TotalResults);
        if (StartIndex is { } startIndex)
        {
            writer.WriteNumber("startIndex", startIndex);
        }

        writer.WriteNumber("itemsPerPage", Page.Count);
        if (NextCursor is not null)
        {
            writer.WriteString("nextCursor", NextCursor);
        }

        writer.WriteStartArray("Resources");
        foreach (var resource in Page)
        {
            resource.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
