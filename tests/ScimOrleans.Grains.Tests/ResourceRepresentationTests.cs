using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Tests;

/// <summary>The event data's <c>meta</c>, appended as text, against the same meta written by a JSON writer (as responses write it).</summary>
public sealed class ResourceRepresentationTests
{
    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"ada"}""", ResourceKind.User, 1L)]
    [InlineData("""{ "displayName" : "G" }  """, ResourceKind.Group, 12345678901L)]
    [InlineData("{}", ResourceKind.User, 7L)]
    public void Appended_meta_is_exactly_what_the_json_writer_writes(string json, ResourceKind kind, long version)
    {
        var created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));
        var modified = created.AddDays(1).AddTicks(9_999);

        var text = ResourceRepresentation.AppendMeta(kind, json, version, created, modified);

        var expected = JsonNode.Parse(json)!.AsObject();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            ResourceRepresentation.WriteMeta(writer, kind, version, created, modified, location: null);
            writer.WriteEndObject();
        }

        expected["meta"] = JsonNode.Parse(buffer.WrittenSpan)!["meta"]!.DeepClone();
        var parsed = JsonNode.Parse(text)!.AsObject();
        Assert.True(JsonNode.DeepEquals(expected, parsed), text);
        Assert.Equal(expected["meta"]!.ToJsonString(), parsed["meta"]!.ToJsonString());
        Assert.EndsWith("\"meta\":" + expected["meta"]!.ToJsonString() + "}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_that_is_not_an_object_is_refused() =>
        Assert.Throws<ArgumentException>(() => ResourceRepresentation.AppendMeta(ResourceKind.User, "[1]", 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));
}
