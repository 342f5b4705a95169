using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Projection;
using ScimOrleans.Protocol.Schemas;
using static ScimOrleans.Protocol.Tests.TestJson;

namespace ScimOrleans.Protocol.Tests.Projection;

public sealed class ResourceProjectorTests
{
    private const string Enterprise = ScimUris.EnterpriseUser;

    private static readonly string UserJson =
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "id":"u1","externalId":"e1","userName":"bjensen","name":{"givenName":"Barbara","familyName":"Jensen"},
         "password":"leaked?","active":true,
         "emails":[{"value":"b@x","type":"work","primary":true},{"value":"h@x","type":"home"}],
         "groups":[{"value":"g1","display":"Eng","type":"direct"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","manager":{"value":"m1","displayName":"Boss"}},
         "meta":{"resourceType":"User","created":"2024-01-01T00:00:00Z","lastModified":"2024-01-02T00:00:00Z","location":"https://x/Users/u1","version":"W/\"2\""}}
        """;

    private static JsonObject ProjectUser(string? attributes = null, string? excluded = null) =>
        Project(ScimSchemas.UserResource, Obj(UserJson), AttributeSelection.Parse(attributes, excluded, ScimSchemas.UserResource));

    [Fact]
    public void Default_returns_everything_but_password()
    {
        var output = ProjectUser();
        var expected = Obj(UserJson);
        expected.Remove("password");
        Equal(expected.ToJsonString(), output);
    }

    [Fact]
    public void Attributes_return_only_those_plus_always()
    {
        var output = ProjectUser("userName");
        Equal("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"id":"u1","userName":"bjensen"}""", output);
    }

    [Fact]
    public void Meta_only_when_requested_in_attributes()
    {
        Assert.False(ProjectUser("userName").ContainsKey("meta"));
        Assert.True(ProjectUser("userName,meta").ContainsKey("meta"));
        Equal("""{"lastModified":"2024-01-02T00:00:00Z"}""", ProjectUser("meta.lastModified")["meta"]);
    }

    [Fact]
    public void Sub_attribute_selection()
    {
        var output = ProjectUser("name.givenName,emails.value");
        Equal("""{"givenName":"Barbara"}""", output["name"]);
        Equal("""[{"value":"b@x"},{"value":"h@x"}]""", output["emails"]);
    }

    [Fact]
    public void Extension_attributes_by_urn_path()
    {
        var output = ProjectUser(Enterprise + ":department");
        Equal("""{"department":"Sales"}""", output[Enterprise]);
        Assert.False(output.ContainsKey("userName"));

        var whole = ProjectUser(Enterprise);
        Equal("""{"department":"Sales","manager":{"value":"m1","displayName":"Boss"}}""", whole[Enterprise]);
    }

    [Fact]
    public void Excluded_attributes_are_removed_except_always()
    {
        var output = ProjectUser(excluded: "emails,name.familyName,id,schemas,groups," + Enterprise + ":manager");
        Assert.False(output.ContainsKey("emails"));
        Assert.False(output.ContainsKey("groups"));
        Equal("""{"givenName":"Barbara"}""", output["name"]);
        Assert.Equal("u1", output["id"]!.GetValue<string>());
        Assert.True(output.ContainsKey("schemas"));
        Equal("""{"department":"Sales"}""", output[Enterprise]);
    }

    [Fact]
    public void Excluding_every_extension_attribute_drops_the_extension_object()
    {
        var output = ProjectUser(excluded: Enterprise);
        Assert.False(output.ContainsKey(Enterprise));
    }

    [Fact]
    public void Password_is_never_returned_even_when_requested()
    {
        Assert.False(ProjectUser("password").ContainsKey("password"));
        Assert.False(ProjectUser().ContainsKey("password"));
    }

    [Fact]
    public void Returned_request_attributes_only_when_named()
    {
        var schema = new ResourceSchema(ScimSchemas.UserResourceType, ScimSchemas.User,
            [new SchemaDefinition("urn:example:hr:1.0:User", "Hr", "HR", [
                new AttributeDefinition { Name = "salary", Returned = Returned.Request },
                new AttributeDefinition { Name = "grade" },
            ])]);
        var resource = Obj("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:example:hr:1.0:User"],"id":"u1","userName":"a","urn:example:hr:1.0:User":{"salary":"100","grade":"B"}}""");
        var byDefault = Project(schema, resource, AttributeSelection.Default);
        Equal("""{"grade":"B"}""", byDefault["urn:example:hr:1.0:User"]);
        var requested = Project(schema, resource, AttributeSelection.Parse("urn:example:hr:1.0:User:salary", null, schema));
        Equal("""{"salary":"100"}""", requested["urn:example:hr:1.0:User"]);
    }

    [Fact]
    public void Group_members_excluded()
    {
        var group = Obj("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Eng","members":[{"value":"u1","display":"A","type":"User"}],"meta":{"resourceType":"Group"}}""");
        var output = Project(ScimSchemas.GroupResource, group, AttributeSelection.Parse(null, "members", ScimSchemas.GroupResource));
        Equal("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Eng","meta":{"resourceType":"Group"}}""", output);
        var full = Project(ScimSchemas.GroupResource, group, AttributeSelection.Default);
        Equal("""[{"value":"u1","display":"A","type":"User"}]""", full["members"]);
    }

    [Fact]
    public void Does_not_mutate_the_input_and_output_is_independent()
    {
        var resource = Obj(UserJson);
        var before = resource.ToJsonString();
        var output = Project(ScimSchemas.UserResource, resource, AttributeSelection.Default);
        Assert.Equal(before, resource.ToJsonString());
        output["name"]!["givenName"] = "Changed";
        Assert.Equal("Barbara", resource["name"]!["givenName"]!.GetValue<string>());
    }

    [Fact]
    public void Unknown_members_are_not_returned()
    {
        var resource = Obj("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a","internalFlag":true,"urn:example:gone:1.0:User":{"x":1}}""");
        var output = Project(ScimSchemas.UserResource, resource, AttributeSelection.Default);
        Assert.Equal(["schemas", "id", "userName"], output.Select(p => p.Key));
    }

    [Fact]
    public void Writes_text_as_the_writer_encodes_it_whatever_escaping_was_stored()
    {
        var stored = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a","title":"caf\u00e9 \"Q\" \u002B1","roles":[{"value":1.50}]}""";
        var relaxed = Write(ScimSchemas.UserResource, stored, "", AttributeSelection.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        Assert.Equal("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a","title":"café \"Q\" +1","roles":[{"value":1.50}]}""", relaxed);
        var strict = Write(ScimSchemas.UserResource, stored, "", AttributeSelection.Default, JavaScriptEncoder.Default);
        Assert.Contains("\"title\":\"caf\\u00E9 \\u0022Q\\u0022 \\u002B1\"", strict, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_members_follow_the_stored_ones_and_are_projected_alike()
    {
        var stored = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a"}""";
        var generated = """{"meta":{"resourceType":"User","version":"W/\"1\""},"groups":[{"value":"g1","display":"Eng","type":"direct"},{"value":"g2","type":"indirect"}]}""";
        Assert.Equal(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a","meta":{"resourceType":"User","version":"W/\"1\""},"groups":[{"value":"g1","display":"Eng","type":"direct"},{"value":"g2","type":"indirect"}]}""",
            Write(ScimSchemas.UserResource, stored, generated, AttributeSelection.Default));
        Assert.Equal(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","groups":[{"display":"Eng"}]}""",
            Write(ScimSchemas.UserResource, stored, generated, AttributeSelection.Parse("groups.display", null, ScimSchemas.UserResource)));
    }

    [Fact]
    public void Nulls_and_values_the_selection_empties_are_left_out()
    {
        var stored = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a","nickName":null,
             "name":{"givenName":"A","formatted":null},"emails":[{"value":"a@x"},null,{"bogus":1}],"phoneNumbers":[],
             "addresses":[{"type":"work"}]}
            """;
        Assert.Equal(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a","name":{"givenName":"A"},"emails":[{"value":"a@x"}],"addresses":[{"type":"work"}]}""",
            Write(ScimSchemas.UserResource, stored, "", AttributeSelection.Default));
        Assert.Equal(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","name":{"givenName":"A"}}""",
            Write(ScimSchemas.UserResource, stored, "", AttributeSelection.Parse("name,addresses.streetAddress", null, ScimSchemas.UserResource)));
    }

    private static string Write(ResourceSchema schema, string stored, string generated, AttributeSelection selection, JavaScriptEncoder? encoder = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder ?? JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            ResourceProjector.Write(writer, schema, Encoding.UTF8.GetBytes(stored), Encoding.UTF8.GetBytes(generated), selection);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The projection of a resource held as a tree, through the writer as responses render it.</summary>
    private static JsonObject Project(ResourceSchema schema, JsonObject resource, AttributeSelection selection)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ResourceProjector.Write(writer, schema, JsonSerializer.SerializeToUtf8Bytes(resource), default, selection);
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }
}
