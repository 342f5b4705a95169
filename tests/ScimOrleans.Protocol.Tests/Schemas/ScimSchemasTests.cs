using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Schemas;

public sealed class ScimSchemasTests
{
    [Fact]
    public void User_schema_has_the_rfc_core_attributes()
    {
        var names = ScimSchemas.User.Attributes.Select(a => a.Name).ToList();
        string[] expected =
        [
            "userName", "name", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage",
            "locale", "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos", "addresses",
            "groups", "entitlements", "roles", "x509Certificates",
        ];
        Assert.Equal(expected, names);
    }

    [Fact]
    public void Common_attributes_are_not_listed_but_resolve()
    {
        Assert.DoesNotContain(ScimSchemas.User.Attributes, a => a.Name is "id" or "externalId" or "meta");
        var id = ScimSchemas.UserResource.Resolve(AttributePath.Parse("ID"))!;
        Assert.Equal("id", id.Attribute.Name);
        Assert.True(id.IsCore);
        Assert.True(id.Attribute.CaseExact);
        Assert.Equal(Mutability.ReadOnly, id.Attribute.Mutability);
        Assert.Equal(Returned.Always, id.Attribute.Returned);
        Assert.True(ScimSchemas.GroupResource.Resolve(AttributePath.Parse("externalId"))!.Attribute.CaseExact);
        var created = ScimSchemas.UserResource.Resolve(AttributePath.Parse("meta.created"))!;
        Assert.Equal(AttributeType.DateTime, created.Target.Type);
    }

    [Fact]
    public void UserName_is_required_unique_and_case_insensitive()
    {
        var userName = ScimSchemas.User.FindAttribute("username")!;
        Assert.True(userName.Required);
        Assert.False(userName.CaseExact);
        Assert.Equal(Uniqueness.Server, userName.Uniqueness);
    }

    [Fact]
    public void Password_is_write_only_and_never_returned()
    {
        var password = ScimSchemas.User.FindAttribute("password")!;
        Assert.Equal(Mutability.WriteOnly, password.Mutability);
        Assert.Equal(Returned.Never, password.Returned);
    }

    [Fact]
    public void Groups_is_read_only_with_direct_and_indirect_types()
    {
        var groups = ScimSchemas.User.FindAttribute("groups")!;
        Assert.Equal(Mutability.ReadOnly, groups.Mutability);
        Assert.True(groups.MultiValued);
        Assert.Equal(["direct", "indirect"], groups.FindSubAttribute("type")!.CanonicalValues);
    }

    [Fact]
    public void Multi_valued_attributes_have_type_and_primary()
    {
        foreach (var name in new[] { "emails", "phoneNumbers", "ims", "photos", "addresses", "entitlements", "roles", "x509Certificates" })
        {
            var attribute = ScimSchemas.User.FindAttribute(name)!;
            Assert.True(attribute.MultiValued, name);
            Assert.Equal(AttributeType.Complex, attribute.Type);
            Assert.Equal(AttributeType.Boolean, attribute.FindSubAttribute("primary")!.Type);
            Assert.NotNull(attribute.FindSubAttribute("type"));
        }

        Assert.Contains("work", ScimSchemas.User.FindAttribute("emails")!.FindSubAttribute("type")!.CanonicalValues);
        Assert.Equal(AttributeType.Binary, ScimSchemas.User.FindAttribute("x509Certificates")!.FindSubAttribute("value")!.Type);
        Assert.NotNull(ScimSchemas.User.FindAttribute("addresses")!.FindSubAttribute("postalCode"));
    }

    [Fact]
    public void Enterprise_manager_display_name_is_read_only()
    {
        var manager = ScimSchemas.EnterpriseUser.FindAttribute("manager")!;
        Assert.Equal(AttributeType.Complex, manager.Type);
        Assert.Equal(Mutability.ReadOnly, manager.FindSubAttribute("displayName")!.Mutability);
        Assert.Equal(["User"], manager.FindSubAttribute("$ref")!.ReferenceTypes);
        Assert.Equal(
            ["employeeNumber", "costCenter", "organization", "division", "department", "manager"],
            ScimSchemas.EnterpriseUser.Attributes.Select(a => a.Name));
    }

    [Fact]
    public void Group_schema_has_required_unique_display_name_and_members()
    {
        var displayName = ScimSchemas.Group.FindAttribute("displayName")!;
        Assert.True(displayName.Required);
        Assert.Equal(Uniqueness.Server, displayName.Uniqueness);
        var members = ScimSchemas.Group.FindAttribute("members")!;
        Assert.Equal(Mutability.Immutable, members.FindSubAttribute("value")!.Mutability);
        Assert.Equal(Mutability.ReadOnly, members.FindSubAttribute("display")!.Mutability);
        Assert.Equal(["User", "Group"], members.FindSubAttribute("type")!.CanonicalValues);
    }

    [Fact]
    public void Resource_types_and_resources_are_cached()
    {
        Assert.Same(ScimSchemas.UserResource, ScimSchemas.UserResource);
        Assert.Same(ScimSchemas.GroupResource, ScimSchemas.GroupResource);
        Assert.Equal("/Users", ScimSchemas.UserResourceType.Endpoint);
        Assert.Equal("/Groups", ScimSchemas.GroupResourceType.Endpoint);
        var extension = Assert.Single(ScimSchemas.UserResourceType.SchemaExtensions);
        Assert.Equal(ScimUris.EnterpriseUser, extension.Schema);
        Assert.False(extension.Required);
        Assert.Empty(ScimSchemas.GroupResource.Extensions);
        Assert.Same(ScimSchemas.EnterpriseUser, Assert.Single(ScimSchemas.UserResource.Extensions));
    }
}
