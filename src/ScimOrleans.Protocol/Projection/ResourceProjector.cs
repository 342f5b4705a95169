using System.Text.Json;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Projection;

/// <summary>
/// Shapes a full resource (attributes plus <c>meta</c>, <c>members</c> or <c>groups</c> filled in by the caller)
/// for a response, honouring <c>returned</c> (always, never, default, request) and the request's selection.
/// <c>id</c> and <c>schemas</c> are always returned; <c>password</c> never is.
/// </summary>
/// <remarks>
/// The output keeps the input's member order and spells attribute names as the schema does. Members that name no
/// attribute of the schema are not returned, nor are nulls, nor a complex value, multi-valued attribute or extension
/// of which the selection leaves nothing. <c>schemas</c> is returned as stored.
/// The projection reads JSON text and writes JSON text in one pass: a resource is never parsed into a tree to answer a
/// read (a GET or a list page renders every resource it returns).
/// </remarks>
public static class ResourceProjector
{
    /// <summary>
    /// Writes the projection of one resource to <paramref name="writer"/> as a JSON object: the members of
    /// <paramref name="attributes"/> (the stored document, UTF-8 JSON object) followed by those of
    /// <paramref name="generated"/> (what the server adds: <c>meta</c>, a user's <c>groups</c>, a group's
    /// <c>members</c>; empty for none). The two must not name the same member.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, ResourceSchema schema, ReadOnlySpan<byte> attributes, ReadOnlySpan<byte> generated, AttributeSelection selection)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(selection);
        var output = new LazyWriter(writer);
        writer.WriteStartObject();
        ProjectMembers(ref output, schema, attributes, selection);
        if (!generated.IsEmpty)
        {
            ProjectMembers(ref output, schema, generated, selection);
        }

        writer.WriteEndObject();
    }

    private static void ProjectMembers(ref LazyWriter output, ResourceSchema schema, ReadOnlySpan<byte> json, AttributeSelection selection)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new ArgumentException("A resource must be a JSON object.", nameof(json));
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            var extension = key.Contains(':', StringComparison.Ordinal) ? schema.FindExtension(key) : null;
            if (extension is not null)
            {
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    output.Begin(extension.Id, isArray: false);
                    ProjectAttributes(ref output, ref reader, extension, selection);
                    output.End();
                }
                else
                {
                    reader.Skip();
                }

                continue;
            }

            var resolved = schema.Resolve(new AttributePath(null, key, null));
            if (resolved is null)
            {
                reader.Skip();
                continue;
            }

            ProjectAttribute(ref output, ref reader, resolved.Attribute, null, selection);
        }
    }

    /// <summary>The members of an extension's object; the reader is on its StartObject and ends on its EndObject.</summary>
    private static void ProjectAttributes(ref LazyWriter output, ref Utf8JsonReader reader, SchemaDefinition extension, AttributeSelection selection)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var attribute = extension.FindAttribute(reader.GetString()!);
            reader.Read();
            if (attribute is null || reader.TokenType == JsonTokenType.Null)
            {
                reader.Skip();
                continue;
            }

            ProjectAttribute(ref output, ref reader, attribute, extension.Id, selection);
        }
    }

    /// <summary>One attribute's value; the reader is on the value's first token and ends on its last.</summary>
    private static void ProjectAttribute(ref LazyWriter output, ref Utf8JsonReader reader, AttributeDefinition attribute, string? extensionUrn, AttributeSelection selection)
    {
        if (!selection.Includes(attribute, extensionUrn))
        {
            reader.Skip();
            return;
        }

        if (attribute.Type != AttributeType.Complex || attribute.SubAttributes.Count == 0)
        {
            output.Property(attribute.Name, ref reader);
            return;
        }

        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                output.Begin(attribute.Name, isArray: false);
                ProjectComplex(ref output, ref reader, attribute, extensionUrn, selection);
                output.End();
                return;
            case JsonTokenType.StartArray:
                output.Begin(attribute.Name, isArray: true);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    switch (reader.TokenType)
                    {
                        case JsonTokenType.StartObject:
                            output.Begin(null, isArray: false);
                            ProjectComplex(ref output, ref reader, attribute, extensionUrn, selection);
                            output.End();
                            break;
                        case JsonTokenType.Null:
                            break;
                        default:
                            output.Element(ref reader);
                            break;
                    }
                }

                output.End();
                return;
            default:
                output.Property(attribute.Name, ref reader);
                return;
        }
    }

    /// <summary>A complex value's selected sub-attributes; the reader is on its StartObject and ends on its EndObject.</summary>
    private static void ProjectComplex(ref LazyWriter output, ref Utf8JsonReader reader, AttributeDefinition attribute, string? extensionUrn, AttributeSelection selection)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var sub = attribute.FindSubAttribute(reader.GetString()!);
            reader.Read();
            if (sub is null || reader.TokenType == JsonTokenType.Null || !selection.IncludesSub(attribute, extensionUrn, sub))
            {
                reader.Skip();
                continue;
            }

            output.Property(sub.Name, ref reader);
        }
    }

    /// <summary>
    /// A writer whose objects and arrays are opened only when something is written into them, so a container the
    /// selection leaves empty is not written at all.
    /// </summary>
    private struct LazyWriter(Utf8JsonWriter writer)
    {
        private readonly List<(string? Name, bool IsArray)> open = [];
        private int started;

        public readonly Utf8JsonWriter Writer => writer;

        /// <summary>A container, named inside an object or unnamed inside an array, to open when it gets content.</summary>
        public readonly void Begin(string? name, bool isArray) => open.Add((name, isArray));

        public void End()
        {
            var last = open.Count - 1;
            if (last < started)
            {
                if (open[last].IsArray)
                {
                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteEndObject();
                }

                started--;
            }

            open.RemoveAt(last);
        }

        /// <summary>A member copied as it is: the reader is on its value's first token and ends on its last.</summary>
        public void Property(string name, ref Utf8JsonReader reader)
        {
            Open();
            writer.WritePropertyName(name);
            JsonCopy.Value(writer, ref reader);
        }

        /// <summary>An array element copied as it is.</summary>
        public void Element(ref Utf8JsonReader reader)
        {
            Open();
            JsonCopy.Value(writer, ref reader);
        }

        private void Open()
        {
            for (; started < open.Count; started++)
            {
                var (name, isArray) = open[started];
                if (name is not null)
                {
                    writer.WritePropertyName(name);
                }

                if (isArray)
                {
                    writer.WriteStartArray();
                }
                else
                {
                    writer.WriteStartObject();
                }
            }
        }
    }
}
