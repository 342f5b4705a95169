using ScimOrleans.Protocol.Errors;
using static ScimOrleans.Protocol.Tests.Patching.PatchTestData;
using static ScimOrleans.Protocol.Tests.TestJson;

namespace ScimOrleans.Protocol.Tests.Patching;

/// <summary>Request shapes real IdPs send (see the field notes §3).</summary>
public sealed class PatchEngineDialectTests
{
    [Theory]
    [InlineData("\"False\"")]
    [InlineData("\"false\"")]
    [InlineData("false")]
    public void Entra_deactivation_with_capitalised_op_and_string_boolean(string value)
    {
        var outcome = PatchUser($$"""{"op":"Replace","path":"active","value":{{value}}}""");
        Assert.False(outcome.Resource["active"]!.GetValue<bool>());
        Assert.True(outcome.Changed);
    }

    [Fact]
    public void Entra_reactivation_with_string_true_on_active_user_is_unchanged()
    {
        var outcome = PatchUser("""{"op":"Replace","path":"active","value":"True"}""");
        Assert.True(outcome.Resource["active"]!.GetValue<bool>());
        Assert.False(outcome.Changed);
    }

    [Fact]
    public void Entra_update_sequence()
    {
        var outcome = PatchUser(
            """{"op":"Replace","path":"emails[type eq \"work\"].value","value":"barbara@contoso.com"}""",
            """{"op":"Replace","path":"name.familyName","value":"Jensen-Smith"}""",
            $$"""{"op":"Add","path":"{{Enterprise}}:department","value":"Retail"}""");
        Assert.Equal("barbara@contoso.com", outcome.Resource["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("Jensen-Smith", outcome.Resource["name"]!["familyName"]!.GetValue<string>());
        Assert.Equal("Retail", Ext(outcome)!["department"]!.GetValue<string>());
    }

    [Fact]
    public void Entra_create_on_absent_work_email()
    {
        var outcome = PatchUserFrom(
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a"}""",
            """{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@contoso.com"}""");
        Equal("""[{"type":"work","value":"a@contoso.com"}]""", outcome.Resource["emails"]);
        Assert.True(outcome.Changed);
    }

    [Fact]
    public void Entra_create_on_absent_also_for_add()
    {
        var outcome = PatchUser("""{"op":"Add","path":"emails[type eq \"other\"].value","value":"o@x"}""");
        Assert.Equal(3, outcome.Resource["emails"]!.AsArray().Count);
        Equal("""{"type":"other","value":"o@x"}""", outcome.Resource["emails"]![2]);
    }

    [Fact]
    public void Entra_path_less_replace_with_dotted_and_urn_keys()
    {
        var outcome = PatchUser(
            $$$"""
            {"op":"replace","value":{
              "displayName":"Barbara Jensen",
              "name.givenName":"Barb",
              "name.familyName":"Jensen",
              "{{{Enterprise}}}:employeeNumber":"701984",
              "{{{Enterprise}}}:manager":"m2",
              "active":"False"}}
            """);
        Assert.Equal("Barbara Jensen", outcome.Resource["displayName"]!.GetValue<string>());
        Equal("""{"givenName":"Barb","familyName":"Jensen"}""", outcome.Resource["name"]);
        Equal("""{"department":"Sales","manager":{"value":"m2"},"employeeNumber":"701984"}""", Ext(outcome));
        Assert.False(outcome.Resource["active"]!.GetValue<bool>());
        Assert.Empty(outcome.IgnoredAttributes);
    }

    [Fact]
    public void Path_less_replace_with_nested_extension_object()
    {
        var outcome = PatchUser("{\"op\":\"replace\",\"value\":{\"" + Enterprise + "\":{\"department\":\"HR\",\"manager\":{\"value\":\"m3\"}}}}");
        Assert.Equal("HR", Ext(outcome)!["department"]!.GetValue<string>());
        Equal("""{"value":"m3","$ref":"../Users/m1"}""", Ext(outcome)!["manager"]);
    }

    [Fact]
    public void Path_less_replace_merges_complex_values()
    {
        var outcome = PatchUser("""{"op":"replace","value":{"name":{"familyName":"Smith"}}}""");
        Equal("""{"givenName":"Barbara","familyName":"Smith"}""", outcome.Resource["name"]);
    }

    [Fact]
    public void Path_less_replace_replaces_multi_valued_collections()
    {
        var outcome = PatchUser("""{"op":"replace","value":{"emails":[{"value":"x@y","type":"work"}]}}""");
        Equal("""[{"value":"x@y","type":"work"}]""", outcome.Resource["emails"]);
    }

    [Fact]
    public void Path_less_add_appends_and_merges()
    {
        var outcome = PatchUser("""{"op":"add","value":{"emails":[{"value":"x@y","type":"other"}],"nickName":"B","name":{"middleName":"J"}}}""");
        Assert.Equal(3, outcome.Resource["emails"]!.AsArray().Count);
        Assert.Equal("J", outcome.Resource["name"]!["middleName"]!.GetValue<string>());
        Assert.Equal("Barbara", outcome.Resource["name"]!["givenName"]!.GetValue<string>());
    }

    [Fact]
    public void Path_less_unknown_keys_are_ignored_and_reported()
    {
        var outcome = PatchUser("""{"op":"replace","value":{"title":"x","shoeSize":44,"urn:example:other:1.0:User:foo":"y","name":{"nick":"z"}}}""");
        Assert.Equal("x", outcome.Resource["title"]!.GetValue<string>());
        Assert.Equal(["shoeSize", "urn:example:other:1.0:User:foo", "name.nick"], outcome.IgnoredAttributes);
    }

    [Fact]
    public void Path_less_key_with_value_filter()
    {
        var outcome = PatchUser("""{"op":"replace","value":{"emails[type eq \"work\"].value":"flat@x"}}""");
        Assert.Equal("flat@x", outcome.Resource["emails"]![0]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Entra_manager_as_bare_string_set_change_and_remove()
    {
        var start = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a"}""";
        var set = PatchUserFrom(start, $$"""{"op":"Add","path":"{{Enterprise}}:manager","value":"m1"}""");
        Equal("""{"manager":{"value":"m1"}}""", Ext(set));

        var changed = PatchUserFrom(set.Resource.ToJsonString(), $$"""{"op":"Replace","path":"{{Enterprise}}:manager","value":"m2"}""");
        Equal("""{"manager":{"value":"m2"}}""", Ext(changed));

        var removed = PatchUserFrom(changed.Resource.ToJsonString(), $$"""{"op":"Replace","path":"{{Enterprise}}:manager","value":""}""");
        Assert.Null(Ext(removed));
        Equal("""["urn:ietf:params:scim:schemas:core:2.0:User"]""", removed.Resource["schemas"]);
    }

    [Fact]
    public void Replace_of_manager_replaces_stale_ref()
    {
        var outcome = PatchUser($$"""{"op":"Replace","path":"{{Enterprise}}:manager","value":"m9"}""");
        Equal("""{"value":"m9"}""", Ext(outcome)!["manager"]);
    }

    [Fact]
    public void Manager_value_sub_attribute_path()
    {
        var outcome = PatchUser($$"""{"op":"replace","path":"{{Enterprise}}:manager.value","value":"m5"}""");
        Equal("""{"value":"m5","$ref":"../Users/m1"}""", Ext(outcome)!["manager"]);
    }

    [Fact]
    public void Manager_removal_with_null()
    {
        var outcome = PatchUser($$"""{"op":"Replace","path":"{{Enterprise}}:manager","value":null}""");
        Equal("""{"department":"Sales"}""", Ext(outcome));
    }

    [Fact]
    public void Entra_null_update_clears_optional_attributes()
    {
        var empty = PatchUser("""{"op":"Replace","path":"displayName","value":""}""");
        Assert.False(empty.Resource.ContainsKey("displayName"));
        var nulled = PatchUser("""{"op":"Replace","path":"displayName","value":null}""");
        Assert.False(nulled.Resource.ContainsKey("displayName"));
        var addEmpty = PatchUser("""{"op":"Add","path":"name.givenName","value":""}""");
        Equal("""{"familyName":"Jensen"}""", addEmpty.Resource["name"]);
    }

    [Fact]
    public void Okta_path_less_deactivation()
    {
        var outcome = PatchUser("""{"op":"replace","value":{"active":false}}""");
        Assert.False(outcome.Resource["active"]!.GetValue<bool>());
        Assert.True(outcome.Changed);
    }

    [Fact]
    public void Okta_path_less_replace_with_read_only_id_is_accepted()
    {
        var outcome = PatchUser("""{"op":"replace","value":{"id":"u1","meta":{"x":1},"groups":[],"active":true}}""");
        Assert.False(outcome.Changed);
        Assert.Empty(outcome.IgnoredAttributes);
    }

    [Fact]
    public void Single_element_array_for_singular_value()
    {
        var outcome = PatchUser("""{"op":"replace","path":"title","value":["Boss"]}""");
        Assert.Equal("Boss", outcome.Resource["title"]!.GetValue<string>());
    }

    [Fact]
    public void Schemas_key_in_path_less_value_is_ignored()
    {
        var outcome = PatchUser("""{"op":"replace","value":{"schemas":["urn:x"],"title":"t"}}""");
        Assert.Equal("t", outcome.Resource["title"]!.GetValue<string>());
        Assert.Empty(outcome.IgnoredAttributes);
    }

    [Fact]
    public void Urn_qualified_core_path()
    {
        var outcome = PatchUser("""{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:name.givenName","value":"B"}""");
        Assert.Equal("B", outcome.Resource["name"]!["givenName"]!.GetValue<string>());
    }

    [Fact]
    public void Attribute_names_in_paths_are_case_insensitive()
    {
        var outcome = PatchUser("""{"op":"replace","path":"NAME.GIVENNAME","value":"B"}""", """{"op":"replace","path":"EMAILS[TYPE EQ \"WORK\"].VALUE","value":"w@x"}""");
        Assert.Equal("B", outcome.Resource["name"]!["givenName"]!.GetValue<string>());
        Assert.Equal("w@x", outcome.Resource["emails"]![0]!["value"]!.GetValue<string>());
        Assert.False(outcome.Resource.ContainsKey("NAME"));
    }

    [Fact]
    public void Canonical_values_apply_to_patch_values()
    {
        var outcome = PatchUser("""{"op":"add","path":"phoneNumbers","value":[{"value":"1","type":"Work"}]}""");
        Assert.Equal("work", outcome.Resource["phoneNumbers"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Invalid_boolean_string_is_invalid_value()
    {
        Throws(ScimTypes.InvalidValue, () => PatchUser("""{"op":"Replace","path":"active","value":"Yes"}"""));
    }
}
