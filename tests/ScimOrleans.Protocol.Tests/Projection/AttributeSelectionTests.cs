using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Projection;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Projection;

public sealed class AttributeSelectionTests
{
    private static readonly ResourceSchema User = ScimSchemas.UserResource;
    private static readonly ResourceSchema Group = ScimSchemas.GroupResource;

    [Fact]
    public void Parses_and_canonicalises_lists()
    {
        var selection = AttributeSelection.Parse(" USERNAME, name.GIVENNAME ,emails.value,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:Department", null, User);
        Assert.Equal(
            [
                new AttributePath(null, "userName", null),
                new AttributePath(null, "name", "givenName"),
                new AttributePath(null, "emails", "value"),
                new AttributePath(ScimUris.EnterpriseUser, "department", null),
            ],
            selection.Attributes);
        Assert.Empty(selection.ExcludedAttributes);
    }

    [Fact]
    public void Unknown_names_are_ignored()
    {
        var selection = AttributeSelection.Parse("userName,shoeSize,urn:x:y:z", null, User);
        Assert.Equal([new AttributePath(null, "userName", null)], selection.Attributes);
    }

    [Fact]
    public void Empty_parameters_give_the_default()
    {
        Assert.Same(AttributeSelection.Default, AttributeSelection.Parse(null, "", User));
        Assert.Same(AttributeSelection.Default, AttributeSelection.Parse(" , ", null, User));
    }

    [Fact]
    public void Malformed_paths_are_invalid_syntax()
    {
        Assert.Equal(ScimTypes.InvalidSyntax, Assert.Throws<ScimException>(() => AttributeSelection.Parse("user name", null, User)).ScimType);
        Assert.Equal(ScimTypes.InvalidSyntax, Assert.Throws<ScimException>(() => AttributeSelection.Parse(null, "emails[type eq \"x\"]", User)).ScimType);
    }

    [Fact]
    public void Extension_urn_alone_selects_the_whole_extension()
    {
        var selection = AttributeSelection.Parse(ScimUris.EnterpriseUser, null, User);
        Assert.Equal(ScimSchemas.EnterpriseUser.Attributes.Count, selection.Attributes.Count);
        Assert.All(selection.Attributes, p => Assert.Equal(ScimUris.EnterpriseUser, p.SchemaUrn));
    }

    [Fact]
    public void Excluded_is_ignored_when_attributes_given()
    {
        var selection = AttributeSelection.Parse("displayName", "members", Group);
        Assert.Empty(selection.ExcludedAttributes);
    }

    [Fact]
    public void Returns_members_by_default()
    {
        Assert.True(AttributeSelection.Default.Returns(Group, "members"));
        Assert.True(AttributeSelection.Parse(null, "externalId", Group).Returns(Group, "members"));
        Assert.True(AttributeSelection.Parse(null, "members.display", Group).Returns(Group, "members"));
    }

    [Fact]
    public void Does_not_return_excluded_or_unrequested_members()
    {
        Assert.False(AttributeSelection.Parse(null, "members", Group).Returns(Group, "members"));
        Assert.False(AttributeSelection.Parse(null, "MEMBERS", Group).Returns(Group, "members"));
        Assert.False(AttributeSelection.Parse("displayName", null, Group).Returns(Group, "members"));
        Assert.True(AttributeSelection.Parse("members.value", null, Group).Returns(Group, "members"));
    }

    [Fact]
    public void Returns_honours_returned_characteristic()
    {
        Assert.True(AttributeSelection.Parse("userName", null, User).Returns(User, "id"));
        Assert.False(AttributeSelection.Default.Returns(User, "password"));
        Assert.False(AttributeSelection.Parse("password", null, User).Returns(User, "password"));
        Assert.True(AttributeSelection.Default.Returns(User, "groups"));
        Assert.False(AttributeSelection.Parse(null, "groups", User).Returns(User, "groups"));
        Assert.False(AttributeSelection.Default.Returns(User, "nonsense"));
        Assert.True(AttributeSelection.Parse(null, "id", User).Returns(User, "id"));
    }
}
