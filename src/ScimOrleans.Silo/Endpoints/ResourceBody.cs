using System.Buffers;
using System.Text;
using System.Text.Json;
using ScimOrleans.Protocol.Projection;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Silo.Http;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// One resource as a response shows it, not yet rendered: its stored attributes, what the server adds to them
/// (<c>meta</c>, a user's <c>groups</c>, a group's <c>members</c>), and the projection to apply. Written by
/// <see cref="ResourceProjector"/> from the stored text straight into the response, without a JSON tree.
/// </summary>
public sealed class ResourceBody(ResourceSchema schema, string attributesJson, ReadOnlyMemory<byte> generated, AttributeSelection selection) : IJsonBody
{
    /// <inheritdoc />
    public void WriteTo(Utf8JsonWriter writer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(attributesJson.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(attributesJson, rented);
            ResourceProjector.Write(writer, schema, rented.AsSpan(0, length), generated.Span, selection);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
