using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Tests.Paths;

public sealed class PatchPathTests
{
    [Fact]
    public void Plain_attribute_path()
    {
        var path = PatchPath.Parse("name.familyName");
        Assert.Equal(new AttributePath(null, "name", "familyName"), path.Attribute);
        Assert.Null(path.ValueFilter);
        Assert.Null(path.SubAttribute);
    }

    [Fact]
    public void Value_filter_with_sub_attribute()
    {
        var path = PatchPath.Parse("emails[type eq \"work\"].value");
        Assert.Equal(new AttributePath(null, "emails", null), path.Attribute);
        Assert.Equal("value", path.SubAttribute);
        var comparison = Assert.IsType<ComparisonNode>(path.ValueFilter);
        Assert.Equal(new AttributePath(null, "type", null), comparison.Path);
        Assert.Equal("work", comparison.Value!.GetValue<string>());
    }

    [Fact]
    public void Quoted_value_may_contain_colons_dots_and_brackets()
    {
        var path = PatchPath.Parse("members[value eq \"a:b]c.d[e\"]");
        Assert.Equal("members", path.Attribute.Attribute);
        Assert.Null(path.SubAttribute);
        var comparison = Assert.IsType<ComparisonNode>(path.ValueFilter);
        Assert.Equal("a:b]c.d[e", comparison.Value!.GetValue<string>());
    }

    [Fact]
    public void Escaped_quote_inside_filter_value()
    {
        var path = PatchPath.Parse("members[value eq \"a\\\"]b\"]");
        Assert.Equal("a\"]b", Assert.IsType<ComparisonNode>(path.ValueFilter).Value!.GetValue<string>());
    }

    [Fact]
    public void Urn_qualified_attribute_with_filter()
    {
        var path = PatchPath.Parse("urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq \"work\"].value");
        Assert.Equal("urn:ietf:params:scim:schemas:core:2.0:User", path.Attribute.SchemaUrn);
        Assert.Equal("emails", path.Attribute.Attribute);
        Assert.Equal("value", path.SubAttribute);
    }

    [Fact]
    public void Or_filter_on_members()
    {
        var path = PatchPath.Parse("members[value eq \"a\" or value eq \"b\"]");
        Assert.IsType<OrNode>(path.ValueFilter);
    }

    [Theory]
    [InlineData("emails[type eq \"work\"")]
    [InlineData("emails[type eq \"work\"]value")]
    [InlineData("emails[type eq \"work\"].")]
    [InlineData("emails[type eq \"work\"].value.x")]
    [InlineData("name.givenName[type eq \"x\"]")]
    [InlineData("")]
    [InlineData("bad path")]
    public void Bad_paths_are_invalid_path(string text)
    {
        var ex = Assert.Throws<ScimException>(() => PatchPath.Parse(text));
        Assert.Equal(ScimTypes.InvalidPath, ex.ScimType);
    }

    [Fact]
    public void Bad_filter_inside_brackets_is_invalid_filter()
    {
        var ex = Assert.Throws<ScimException>(() => PatchPath.Parse("emails[type xx \"work\"]"));
        Assert.Equal(ScimTypes.InvalidFilter, ex.ScimType);
    }

    [Fact]
    public void Value_is_json_value()
    {
        var path = PatchPath.Parse("emails[primary eq true]");
        Assert.Equal(System.Text.Json.JsonValueKind.True, ((JsonValue)((ComparisonNode)path.ValueFilter!).Value!).GetValueKind());
    }
}
