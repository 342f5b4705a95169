using System.Buffers;
using System.Text.Json;

namespace ScimOrleans.Protocol.Projection;

/// <summary>
/// Copies JSON values from a reader to a writer token by token. Strings and property names are unescaped and written
/// again, so the output is escaped by the writer's encoder whatever escaping the stored text used: the same bytes a
/// parsed <c>JsonNode</c> would have written.
/// </summary>
internal static class JsonCopy
{
    private const int StackLimit = 256;

    /// <summary>Copies the value the reader is on (its first token) and leaves the reader on its last token.</summary>
    public static void Value(Utf8JsonWriter writer, ref Utf8JsonReader reader)
    {
        Token(writer, ref reader);
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        // A container's closing token is at the depth of its opening one; everything inside is deeper.
        var depth = reader.CurrentDepth;
        while (reader.Read())
        {
            Token(writer, ref reader);
            if (reader.CurrentDepth == depth)
            {
                return;
            }
        }
    }

    private static void Token(Utf8JsonWriter writer, ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                writer.WriteStartObject();
                break;
            case JsonTokenType.EndObject:
                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                break;
            case JsonTokenType.EndArray:
                writer.WriteEndArray();
                break;
            case JsonTokenType.PropertyName:
                Text(writer, ref reader, propertyName: true);
                break;
            case JsonTokenType.String:
                Text(writer, ref reader, propertyName: false);
                break;
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonTokenType.False:
                writer.WriteBooleanValue(false);
                break;
            case JsonTokenType.Null:
                writer.WriteNullValue();
                break;
            default:
                throw new JsonException($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private static void Text(Utf8JsonWriter writer, ref Utf8JsonReader reader, bool propertyName)
    {
        if (!reader.ValueIsEscaped)
        {
            Write(writer, reader.ValueSpan, propertyName);
            return;
        }

        var length = reader.ValueSpan.Length;
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = reader.CopyString(buffer);
            Write(writer, buffer[..written], propertyName);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8, bool propertyName)
    {
        if (propertyName)
        {
            writer.WritePropertyName(utf8);
        }
        else
        {
            writer.WriteStringValue(utf8);
        }
    }
}
