using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Tests.Paths;

public sealed class AttributePathTests
{
    [Theory]
    [InlineData("userName", null, "userName", null)]
    [InlineData("name.givenName", null, "name", "givenName")]
    [InlineData("members.$ref", null, "members", "$ref")]
    [InlineData("x509Certificates.value", null, "x509Certificates", "value")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "department", null)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "manager", "value")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName", "urn:ietf:params:scim:schemas:core:2.0:User", "userName", null)]
    [InlineData("  userName  ", null, "userName", null)]
    [InlineData("a-b_c1", null, "a-b_c1", null)]
    public void Parses_valid_paths(string text, string? urn, string attribute, string? sub)
    {
        var path = AttributePath.Parse(text);
        Assert.Equal(new AttributePath(urn, attribute, sub), path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1abc")]
    [InlineData("name.")]
    [InlineData(".name")]
    [InlineData("name.given.name")]
    [InlineData("user name")]
    [InlineData("urn:x:")]
    [InlineData(":userName")]
    [InlineData("emails[type eq \"work\"]")]
    [InlineData("na$me")]
    [InlineData("urn:a b:c")]
    public void Rejects_bad_syntax_with_invalid_path(string text)
    {
        var ex = Assert.Throws<ScimException>(() => AttributePath.Parse(text));
        Assert.Equal(400, ex.Status);
        Assert.Equal(ScimTypes.InvalidPath, ex.ScimType);
    }

    [Fact]
    public void To_string_round_trips()
    {
        const string text = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value";
        Assert.Equal(text, AttributePath.Parse(text).ToString());
        Assert.Equal("name.givenName", AttributePath.Parse("name.givenName").ToString());
    }
}
