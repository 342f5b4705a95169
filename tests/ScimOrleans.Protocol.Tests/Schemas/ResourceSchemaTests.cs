using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Schemas;

public sealed class ResourceSchemaTests
{
    private static readonly ResourceSchema User = ScimSchemas.UserResource;

    [Theory]
    [InlineData("userName", "userName", null)]
    [InlineData("USERNAME", "userName", null)]
    [InlineData("name.givenName", "name", "givenName")]
    [InlineData("NAME.GIVENNAME", "name", "givenName")]
    [InlineData("emails.value", "emails", "value")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName", "userName", null)]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:user:name.familyName", "name", "familyName")]
    [InlineData("meta.lastModified", "meta", "lastModified")]
    [InlineData("schemas", "schemas", null)]
    public void Resolves_core_paths_in_canonical_spelling(string text, string attribute, string? sub)
    {
        var resolved = User.Resolve(AttributePath.Parse(text))!;
        Assert.True(resolved.IsCore);
        Assert.Same(ScimSchemas.User, resolved.Schema);
        Assert.Equal(attribute, resolved.Attribute.Name);
        Assert.Equal(sub, resolved.SubAttribute?.Name);
    }

    [Theory]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "department", null)]
    [InlineData("URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Department", "department", null)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "manager", "value")]
    public void Resolves_extension_paths(string text, string attribute, string? sub)
    {
        var resolved = User.Resolve(AttributePath.Parse(text))!;
        Assert.False(resolved.IsCore);
        Assert.Same(ScimSchemas.EnterpriseUser, resolved.Schema);
        Assert.Equal(attribute, resolved.Attribute.Name);
        Assert.Equal(sub, resolved.SubAttribute?.Name);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("name.foo")]
    [InlineData("userName.value")]
    [InlineData("department")]
    [InlineData("urn:example:unknown:2.0:User:department")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName")]
    [InlineData("members")]
    public void Returns_null_for_unknown_paths(string text) => Assert.Null(User.Resolve(AttributePath.Parse(text)));

    [Fact]
    public void Finds_extensions_case_insensitively()
    {
        Assert.Same(ScimSchemas.EnterpriseUser, User.FindExtension(ScimUris.EnterpriseUser.ToUpperInvariant()));
        Assert.Same(ScimSchemas.User, User.FindSchema(ScimUris.User));
        Assert.Null(User.FindExtension(ScimUris.User));
    }
}
