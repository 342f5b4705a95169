using System.Text;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;

namespace ScimOrleans.Protocol.Tests.Resources;

public sealed class ScimJsonTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1 // comment\n}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{'a':1}")]
    public void Rejects_anything_but_one_json_object(string text)
    {
        Assert.Equal(ScimTypes.InvalidSyntax, Assert.Throws<ScimException>(() => ScimJson.ParseObject(text)).ScimType);
        Assert.Equal(ScimTypes.InvalidSyntax, Assert.Throws<ScimException>(() => ScimJson.ParseObject(Encoding.UTF8.GetBytes(text))).ScimType);
    }

    [Fact]
    public void Rejects_deep_documents()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var ex = Assert.Throws<ScimException>(() => ScimJson.ParseObject(deep));
        Assert.Equal(400, ex.Status);
        Assert.Equal(ScimTypes.InvalidSyntax, ex.ScimType);
    }

    [Fact]
    public void Parses_objects_from_text_and_utf8()
    {
        Assert.Equal("x", ScimJson.ParseObject("{\"userName\":\"x\"}")["userName"]!.GetValue<string>());
        Assert.Equal("é", ScimJson.ParseObject(Encoding.UTF8.GetBytes("{\"a\":\"é\"}"))["a"]!.GetValue<string>());
    }

    [Fact]
    public void Accepts_a_byte_order_mark()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"a\":1}")];
        Assert.Equal(1, ScimJson.ParseObject(body)["a"]!.GetValue<int>());
    }

    [Fact]
    public void Error_detail_explains_the_problem()
    {
        var ex = Assert.Throws<ScimException>(() => ScimJson.ParseObject("{\"a\":}"));
        Assert.Equal(400, ex.Status);
        Assert.StartsWith("The request body is not valid JSON", ex.Detail, StringComparison.Ordinal);
        Assert.Equal("400", ex.ToJson()["status"]!.GetValue<string>());
    }

    [Fact]
    public void Get_ignore_case_prefers_exact_match()
    {
        var obj = ScimJson.ParseObject("{\"Operations\":1,\"operations\":2}");
        Assert.Equal(2, ScimJson.GetIgnoreCase(obj, "operations")!.GetValue<int>());
        Assert.Equal(1, ScimJson.GetIgnoreCase(obj, "Operations")!.GetValue<int>());
        Assert.Equal(1, ScimJson.GetIgnoreCase(obj, "OPERATIONS")!.GetValue<int>());
        Assert.Null(ScimJson.GetIgnoreCase(obj, "missing"));
    }
}
