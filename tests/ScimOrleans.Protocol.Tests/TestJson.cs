using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;

namespace ScimOrleans.Protocol.Tests;

internal static class TestJson
{
    public static JsonObject Obj(string json) => ScimJson.ParseObject(json);

    public static void Equal(string expectedJson, JsonNode? actual)
    {
        var expected = JsonNode.Parse(expectedJson);
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"Expected:\n{expected?.ToJsonString()}\nActual:\n{actual?.ToJsonString()}");
    }

    public static ScimException Throws(string scimType, Action action)
    {
        var ex = Assert.Throws<ScimException>(action);
        Assert.Equal(scimType, ex.ScimType);
        return ex;
    }

    public static JsonObject Patch(params string[] operations) =>
        Obj($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{string.Join(",", operations)}}]}""");
}
