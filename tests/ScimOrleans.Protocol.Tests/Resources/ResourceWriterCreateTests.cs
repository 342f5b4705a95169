using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;
using static ScimOrleans.Protocol.Tests.TestJson;

namespace ScimOrleans.Protocol.Tests.Resources;

public sealed class ResourceWriterCreateTests
{
    private static WriteOutcome CreateUser(string json) => ResourceWriter.PrepareCreate(ScimSchemas.UserResource, Obj(json));

    private static WriteOutcome CreateGroup(string json) => ResourceWriter.PrepareCreate(ScimSchemas.GroupResource, Obj(json));

    [Fact]
    public void Okta_create_body_is_normalised()
    {
        var outcome = CreateUser(
            """
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "userName": "isaac.brock@example.com",
              "name": {"givenName": "Isaac", "familyName": "Brock"},
              "emails": [{"primary": true, "value": "isaac.brock@example.com", "type": "work"}],
              "displayName": "Isaac Brock",
              "locale": "en-US",
              "externalId": "00ujl29u0le5T6Aj10h7",
              "groups": [],
              "password": "1mz050nq",
              "active": true
            }
            """);
        Equal(
            """
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "externalId": "00ujl29u0le5T6Aj10h7",
              "userName": "isaac.brock@example.com",
              "name": {"givenName": "Isaac", "familyName": "Brock"},
              "displayName": "Isaac Brock",
              "locale": "en-US",
              "active": true,
              "emails": [{"primary": true, "value": "isaac.brock@example.com", "type": "work"}]
            }
            """,
            outcome.Resource);
        Assert.Equal("1mz050nq", outcome.NewPassword);
        Assert.False(outcome.PasswordCleared);
        Assert.True(outcome.Changed);
        Assert.Null(outcome.Members);
        Assert.Empty(outcome.IgnoredAttributes);
    }

    [Fact]
    public void Output_never_holds_id_meta_password_or_groups()
    {
        var outcome = CreateUser(
            """{"id":"client-id","meta":{"resourceType":"User"},"userName":"a","password":"p","groups":[{"value":"g"}]}""");
        Assert.False(outcome.Resource.ContainsKey("id"));
        Assert.False(outcome.Resource.ContainsKey("meta"));
        Assert.False(outcome.Resource.ContainsKey("password"));
        Assert.False(outcome.Resource.ContainsKey("groups"));
        Assert.Empty(outcome.IgnoredAttributes);
    }

    [Fact]
    public void Attribute_names_are_case_insensitive_and_canonicalised()
    {
        var outcome = CreateUser("""{"USERNAME":"a","Name":{"GIVENNAME":"x"},"Emails":[{"VALUE":"a@b.c","Type":"WORK"}]}""");
        Equal(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","name":{"givenName":"x"},"emails":[{"value":"a@b.c","type":"work"}]}""",
            outcome.Resource);
    }

    [Fact]
    public void Unknown_attributes_are_dropped_and_reported()
    {
        var outcome = CreateUser(
            """{"userName":"a","favouriteColour":"blue","name":{"givenName":"x","nick":"y"},"urn:example:custom:1.0:User:shoeSize":42}""");
        Assert.Equal(["favouriteColour", "name.nick", "urn:example:custom:1.0:User:shoeSize"], outcome.IgnoredAttributes);
        Assert.False(outcome.Resource.ContainsKey("favouriteColour"));
    }

    [Fact]
    public void Client_schemas_are_recomputed()
    {
        var outcome = CreateUser(
            """{"schemas":["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","urn:bogus"],"userName":"a"}""");
        Equal("""["urn:ietf:params:scim:schemas:core:2.0:User"]""", outcome.Resource["schemas"]);
    }

    [Fact]
    public void Extension_attributes_nested_without_the_urn_in_schemas()
    {
        var outcome = CreateUser(
            """{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","EmployeeNumber":"701984"}}""");
        Equal(
            """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "userName":"a",
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"Sales"}}
            """,
            outcome.Resource);
    }

    [Fact]
    public void Extension_attributes_as_urn_qualified_top_level_names()
    {
        var outcome = CreateUser(
            """{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Retail","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager":"m1"}""");
        Equal(
            """{"department":"Retail","manager":{"value":"m1"}}""",
            outcome.Resource[ScimUris.EnterpriseUser]);
    }

    [Fact]
    public void Core_attributes_qualified_with_the_core_urn()
    {
        var outcome = CreateUser("""{"urn:ietf:params:scim:schemas:core:2.0:User:userName":"a","urn:ietf:params:scim:schemas:core:2.0:User":{"title":"Boss"}}""");
        Assert.Equal("a", outcome.Resource["userName"]!.GetValue<string>());
        Assert.Equal("Boss", outcome.Resource["title"]!.GetValue<string>());
    }

    [Fact]
    public void Dotted_names_in_a_body_set_sub_attributes()
    {
        var outcome = CreateUser("""{"userName":"a","name.givenName":"Barbara","name":{"familyName":"Jensen"}}""");
        Equal("""{"givenName":"Barbara","familyName":"Jensen"}""", outcome.Resource["name"]);
    }

    [Fact]
    public void Empty_extension_leaves_no_trace()
    {
        var outcome = CreateUser("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":null,"department":""}}""");
        Assert.False(outcome.Resource.ContainsKey(ScimUris.EnterpriseUser));
        Assert.Single(outcome.Resource["schemas"]!.AsArray());
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"True\"", true)]
    [InlineData("\"False\"", false)]
    [InlineData("\"TRUE\"", true)]
    [InlineData("\"false\"", false)]
    public void Booleans_accept_strings_in_any_case(string json, bool expected)
    {
        var outcome = CreateUser($$"""{"userName":"a","active":{{json}}}""");
        Assert.Equal(expected, outcome.Resource["active"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    [InlineData("{}")]
    public void Non_boolean_values_for_booleans_are_invalid(string json)
    {
        Throws(ScimTypes.InvalidValue, () => CreateUser($$"""{"userName":"a","active":{{json}}}"""));
    }

    [Fact]
    public void Strings_accept_numbers_and_booleans_from_templates()
    {
        var outcome = CreateUser("""{"userName":12345,"title":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":701984}}""");
        Assert.Equal("12345", outcome.Resource["userName"]!.GetValue<string>());
        Assert.Equal("true", outcome.Resource["title"]!.GetValue<string>());
        Assert.Equal("701984", outcome.Resource[ScimUris.EnterpriseUser]!["employeeNumber"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"userName":{"a":1}}""")]
    [InlineData("""{"userName":"a","title":["x","y"]}""")]
    [InlineData("""{"userName":"a","name":"plain"}""")]
    [InlineData("""{"userName":"a","emails":[[{"value":"x"}]]}""")]
    public void Objects_and_arrays_for_strings_are_invalid(string json)
    {
        Throws(ScimTypes.InvalidValue, () => CreateUser(json));
    }

    [Fact]
    public void Single_element_array_for_singular_attribute_is_unwrapped()
    {
        var outcome = CreateUser("""{"userName":["a"],"name":[{"givenName":"x"}]}""");
        Assert.Equal("a", outcome.Resource["userName"]!.GetValue<string>());
        Equal("""{"givenName":"x"}""", outcome.Resource["name"]);
    }

    [Fact]
    public void Single_object_for_multi_valued_attribute_is_wrapped()
    {
        var outcome = CreateUser("""{"userName":"a","emails":{"value":"a@b.c"},"roles":"admin"}""");
        Equal("""[{"value":"a@b.c"}]""", outcome.Resource["emails"]);
        Equal("""[{"value":"admin"}]""", outcome.Resource["roles"]);
    }

    [Fact]
    public void Nulls_and_empty_arrays_mean_absent()
    {
        var outcome = CreateUser(
            """{"userName":"a","addresses":null,"roles":[],"title":"","name":{},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":null}}""");
        Assert.Equal(["schemas", "userName"], outcome.Resource.Select(p => p.Key));
    }

    [Fact]
    public void Manager_as_bare_string_becomes_an_object()
    {
        var outcome = CreateUser("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"26118915-6090-4610-87e4-49d8ca9f808d"}}""");
        Equal("""{"manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}}""", outcome.Resource[ScimUris.EnterpriseUser]);
    }

    [Fact]
    public void Manager_display_name_is_read_only_and_dropped()
    {
        var outcome = CreateUser("""{"userName":"a","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":{"value":"m","displayName":"Boss","$ref":"../Users/m"}}}""");
        Equal("""{"manager":{"value":"m","$ref":"../Users/m"}}""", outcome.Resource[ScimUris.EnterpriseUser]);
        Assert.Empty(outcome.IgnoredAttributes);
    }

    [Theory]
    [InlineData("""{"name":{"givenName":"x"}}""")]
    [InlineData("""{"userName":""}""")]
    [InlineData("""{"userName":null}""")]
    [InlineData("""{"userName":[]}""")]
    public void Missing_user_name_is_invalid_value(string json)
    {
        var ex = Throws(ScimTypes.InvalidValue, () => CreateUser(json));
        Assert.Contains("userName", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_group_display_name_is_invalid_value()
    {
        var ex = Throws(ScimTypes.InvalidValue, () => CreateGroup("""{"members":[]}"""));
        Assert.Contains("displayName", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_primary_values_are_invalid()
    {
        Throws(ScimTypes.InvalidValue, () => CreateUser(
            """{"userName":"a","emails":[{"value":"a@x","primary":true},{"value":"b@x","primary":"True"}]}"""));
    }

    [Fact]
    public void Canonical_values_are_respelled_and_others_kept()
    {
        var outcome = CreateUser(
            """{"userName":"a","emails":[{"value":"a@x","type":"Work"},{"value":"b@x","type":"Personal"}],"phoneNumbers":[{"value":"+1 555","type":"MOBILE"}]}""");
        Equal("""[{"value":"a@x","type":"work"},{"value":"b@x","type":"Personal"}]""", outcome.Resource["emails"]);
        Equal("""[{"value":"+1 555","type":"mobile"}]""", outcome.Resource["phoneNumbers"]);
    }

    [Fact]
    public void Duplicate_values_in_a_multi_valued_attribute_collapse()
    {
        var outcome = CreateUser("""{"userName":"a","emails":[{"value":"a@x"},{"value":"a@x"}]}""");
        Assert.Single(outcome.Resource["emails"]!.AsArray());
    }

    [Fact]
    public void Values_are_stored_as_sent()
    {
        var outcome = CreateUser("""{"userName":"  Mixed.Case@Example.com ","phoneNumbers":[{"value":"(555) 555-8377"}]}""");
        Assert.Equal("  Mixed.Case@Example.com ", outcome.Resource["userName"]!.GetValue<string>());
        Assert.Equal("(555) 555-8377", outcome.Resource["phoneNumbers"]![0]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"userName":"a","password":12}""")]
    [InlineData("""{"userName":"a","password":{"x":1}}""")]
    public void Non_string_password_is_invalid(string json) => Throws(ScimTypes.InvalidValue, () => CreateUser(json));

    [Fact]
    public void Empty_password_is_no_password()
    {
        Assert.Null(CreateUser("""{"userName":"a","password":""}""").NewPassword);
        Assert.Null(CreateUser("""{"userName":"a","password":null}""").NewPassword);
    }

    [Fact]
    public void Group_members_are_returned_as_additions()
    {
        var outcome = CreateGroup(
            """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Eng",
             "members":[{"value":"u1","display":"A"},{"value":"g2","type":"group","$ref":"../Groups/g2"},{"value":"u1","type":"User"}]}
            """);
        Equal("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Eng"}""", outcome.Resource);
        Assert.NotNull(outcome.Members);
        Assert.False(outcome.Members.ClearExisting);
        Assert.Equal([new MemberReference("u1", "User"), new MemberReference("g2", "Group")], outcome.Members.Added);
        Assert.Empty(outcome.Members.Removed);
    }

    [Fact]
    public void Group_without_members_gets_no_member_changes()
    {
        Assert.Same(MemberChanges.None, CreateGroup("""{"displayName":"Eng"}""").Members);
        Assert.True(CreateGroup("""{"displayName":"Eng","members":null}""").Members!.IsEmpty);
        Assert.True(CreateGroup("""{"displayName":"Eng","members":[]}""").Members!.IsEmpty);
    }

    [Theory]
    [InlineData("""[{"display":"no value"}]""")]
    [InlineData("""[{"value":""}]""")]
    [InlineData("""[{"value":"u1","type":"Robot"}]""")]
    [InlineData("""[[1]]""")]
    public void Bad_members_are_invalid_value(string members)
    {
        Throws(ScimTypes.InvalidValue, () => CreateGroup($$"""{"displayName":"Eng","members":{{members}}}"""));
    }

    [Fact]
    public void Entra_group_create_with_extra_schema()
    {
        var outcome = CreateGroup(
            """{"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Group1","schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"]}""");
        Equal(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159","displayName":"Group1"}""",
            outcome.Resource);
    }

    [Fact]
    public void Entra_create_with_roles_empty_and_meta()
    {
        var outcome = CreateUser(
            """{"userName":"Test_User_ab6490ee@contoso.com","active":true,"roles":[],"meta":{"resourceType":"User"},"addresses":null}""");
        Assert.Equal(["schemas", "userName", "active"], outcome.Resource.Select(p => p.Key));
    }

    [Fact]
    public void Date_times_are_normalised_to_utc()
    {
        var schema = new ResourceSchema(
            ScimSchemas.UserResourceType,
            ScimSchemas.User,
            [new SchemaDefinition("urn:example:hr:1.0:User", "Hr", "HR", [
                new AttributeDefinition { Name = "hireDate", Type = AttributeType.DateTime },
                new AttributeDefinition { Name = "level", Type = AttributeType.Integer },
                new AttributeDefinition { Name = "fte", Type = AttributeType.Decimal },
            ])]);
        var outcome = ResourceWriter.PrepareCreate(schema, Obj(
            """{"userName":"a","urn:example:hr:1.0:User":{"hireDate":"2011-05-13T06:42:34.500+02:00","level":"3","fte":"0.5"}}"""));
        Equal("""{"hireDate":"2011-05-13T04:42:34.5Z","level":3,"fte":0.5}""", outcome.Resource["urn:example:hr:1.0:User"]);

        Throws(ScimTypes.InvalidValue, () => ResourceWriter.PrepareCreate(schema, Obj("""{"userName":"a","urn:example:hr:1.0:User":{"hireDate":"13/05/2011"}}""")));
        Throws(ScimTypes.InvalidValue, () => ResourceWriter.PrepareCreate(schema, Obj("""{"userName":"a","urn:example:hr:1.0:User":{"level":"3.5"}}""")));
        Throws(ScimTypes.InvalidValue, () => ResourceWriter.PrepareCreate(schema, Obj("""{"userName":"a","urn:example:hr:1.0:User":{"fte":"lots"}}""")));
    }

    [Fact]
    public void Does_not_mutate_the_body()
    {
        var body = Obj("""{"userName":"a","emails":[{"value":"x","type":"WORK"}]}""");
        var before = body.ToJsonString();
        ResourceWriter.PrepareCreate(ScimSchemas.UserResource, body);
        Assert.Equal(before, body.ToJsonString());
    }
}
