using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Patching;
using ScimOrleans.Protocol.Schemas;
using static ScimOrleans.Protocol.Tests.Patching.PatchTestData;
using static ScimOrleans.Protocol.Tests.TestJson;

namespace ScimOrleans.Protocol.Tests.Patching;

public sealed class PatchEngineTests
{
    [Fact]
    public void Replace_simple_attribute()
    {
        var outcome = PatchUser("""{"op":"replace","path":"displayName","value":"Barbara J"}""");
        Assert.Equal("Barbara J", outcome.Resource["displayName"]!.GetValue<string>());
        Assert.True(outcome.Changed);
        Assert.Equal("u1", outcome.Resource["id"]!.GetValue<string>());
        Assert.Null(outcome.Members);
        Assert.Null(outcome.NewPassword);
    }

    [Fact]
    public void Add_on_singular_attribute_replaces_it()
    {
        var outcome = PatchUser("""{"op":"add","path":"title","value":"Tour Guide"}""", """{"op":"add","path":"title","value":"Boss"}""");
        Assert.Equal("Boss", outcome.Resource["title"]!.GetValue<string>());
    }

    [Fact]
    public void Replace_of_attribute_with_same_value_is_unchanged()
    {
        var outcome = PatchUser("""{"op":"replace","path":"displayName","value":"Babs"}""");
        Assert.False(outcome.Changed);
    }

    [Fact]
    public void Add_to_multi_valued_appends()
    {
        var outcome = PatchUser("""{"op":"add","path":"emails","value":[{"value":"b@other.example","type":"other"}]}""");
        Assert.Equal(3, outcome.Resource["emails"]!.AsArray().Count);
        Assert.True(outcome.Changed);
    }

    [Fact]
    public void Re_adding_an_existing_email_changes_nothing()
    {
        var outcome = PatchUser("""{"op":"add","path":"emails","value":[{"value":"bjensen@example.com","type":"work","primary":true}]}""");
        Assert.False(outcome.Changed);
        Assert.Equal(2, outcome.Resource["emails"]!.AsArray().Count);
    }

    [Fact]
    public void Re_adding_with_different_spelling_of_canonical_type_changes_nothing()
    {
        var outcome = PatchUser("""{"op":"Add","path":"emails","value":[{"value":"babs@home.example","type":"HOME"}]}""");
        Assert.False(outcome.Changed);
    }

    [Fact]
    public void Add_complex_merges_sub_attributes()
    {
        var outcome = PatchUser("""{"op":"add","path":"name","value":{"middleName":"Jane"}}""");
        Equal("""{"givenName":"Barbara","familyName":"Jensen","middleName":"Jane"}""", outcome.Resource["name"]);
    }

    [Fact]
    public void Replace_complex_with_path_replaces_the_whole_object()
    {
        var outcome = PatchUser("""{"op":"replace","path":"name","value":{"givenName":"Babs"}}""");
        Equal("""{"givenName":"Babs"}""", outcome.Resource["name"]);
    }

    [Fact]
    public void Replace_multi_valued_with_path_replaces_the_collection()
    {
        var outcome = PatchUser("""{"op":"replace","path":"emails","value":[{"value":"new@example.com","type":"work"}]}""");
        Equal("""[{"value":"new@example.com","type":"work"}]""", outcome.Resource["emails"]);
    }

    [Fact]
    public void Replace_sub_attribute()
    {
        var outcome = PatchUser("""{"op":"replace","path":"name.familyName","value":"Smith"}""");
        Equal("""{"givenName":"Barbara","familyName":"Smith"}""", outcome.Resource["name"]);
    }

    [Fact]
    public void Add_sub_attribute_creates_the_parent()
    {
        var outcome = PatchUserFrom("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a"}""",
            """{"op":"add","path":"name.givenName","value":"Ann"}""");
        Equal("""{"givenName":"Ann"}""", outcome.Resource["name"]);
    }

    [Fact]
    public void Replace_on_missing_attribute_adds_it()
    {
        var outcome = PatchUser("""{"op":"replace","path":"nickName","value":"B"}""");
        Assert.Equal("B", outcome.Resource["nickName"]!.GetValue<string>());
    }

    [Fact]
    public void Remove_attribute()
    {
        var outcome = PatchUser("""{"op":"remove","path":"displayName"}""");
        Assert.False(outcome.Resource.ContainsKey("displayName"));
        Assert.True(outcome.Changed);
    }

    [Fact]
    public void Remove_sub_attribute_and_empty_parent()
    {
        var outcome = PatchUser("""{"op":"remove","path":"name.givenName"}""", """{"op":"remove","path":"name.familyName"}""");
        Assert.False(outcome.Resource.ContainsKey("name"));
    }

    [Fact]
    public void Remove_missing_attribute_is_a_successful_no_op()
    {
        var outcome = PatchUser("""{"op":"remove","path":"nickName"}""");
        Assert.False(outcome.Changed);
    }

    [Fact]
    public void Remove_with_filter()
    {
        var outcome = PatchUser("""{"op":"remove","path":"emails[type eq \"home\"]"}""");
        Equal("""[{"value":"bjensen@example.com","type":"work","primary":true}]""", outcome.Resource["emails"]);
    }

    [Fact]
    public void Remove_with_filter_matching_nothing_is_a_no_op()
    {
        var outcome = PatchUser("""{"op":"remove","path":"emails[type eq \"other\"]"}""");
        Assert.False(outcome.Changed);
    }

    [Fact]
    public void Remove_last_value_removes_the_attribute()
    {
        var outcome = PatchUser("""{"op":"remove","path":"emails[value co \"example\"]"}""");
        Assert.False(outcome.Resource.ContainsKey("emails"));
    }

    [Fact]
    public void Remove_sub_attribute_of_filtered_values()
    {
        var outcome = PatchUser("""{"op":"remove","path":"emails[type eq \"work\"].primary"}""");
        Equal("""{"value":"bjensen@example.com","type":"work"}""", outcome.Resource["emails"]![0]);
    }

    [Fact]
    public void Remove_listed_values_of_multi_valued_attribute()
    {
        var outcome = PatchUser("""{"op":"remove","path":"emails","value":[{"value":"babs@home.example"}]}""");
        Assert.Single(outcome.Resource["emails"]!.AsArray());
    }

    [Fact]
    public void Remove_without_path_is_no_target()
    {
        Throws(ScimTypes.NoTarget, () => PatchUser("""{"op":"remove"}"""));
    }

    [Fact]
    public void Filtered_replace_sets_sub_attribute_on_matching_values()
    {
        var outcome = PatchUser("""{"op":"replace","path":"emails[type eq \"work\"].value","value":"new@example.com"}""");
        Assert.Equal("new@example.com", outcome.Resource["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("babs@home.example", outcome.Resource["emails"]![1]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Filtered_replace_without_sub_attribute_merges_into_matching_values()
    {
        var outcome = PatchUser("""{"op":"replace","path":"emails[type eq \"home\"]","value":{"value":"new@home.example","display":"Home"}}""");
        Equal("""{"value":"new@home.example","type":"home","display":"Home"}""", outcome.Resource["emails"]![1]);
    }

    [Fact]
    public void Filtered_replace_creates_missing_value_from_eq_filter()
    {
        var outcome = PatchUser("""{"op":"replace","path":"addresses[type eq \"work\"].formatted","value":"1 Main St"}""");
        Equal("""[{"type":"work","formatted":"1 Main St"}]""", outcome.Resource["addresses"]);
    }

    [Fact]
    public void Filtered_add_creates_missing_value_from_conjunction()
    {
        var outcome = PatchUser("""{"op":"add","path":"phoneNumbers[type eq \"Mobile\" and display eq \"cell\"].value","value":"+1 555 0100"}""");
        Equal("""[{"type":"mobile","display":"cell","value":"+1 555 0100"}]""", outcome.Resource["phoneNumbers"]);
    }

    [Fact]
    public void Filtered_replace_of_whole_value_creates_it_when_missing()
    {
        var outcome = PatchUser("""{"op":"replace","path":"phoneNumbers[type eq \"work\"]","value":{"value":"+1 555 0101","primary":true}}""");
        Equal("""[{"type":"work","value":"+1 555 0101","primary":true}]""", outcome.Resource["phoneNumbers"]);
    }

    [Fact]
    public void Filtered_replace_with_null_removes_matching_values()
    {
        var outcome = PatchUser("""{"op":"replace","path":"emails[type eq \"home\"]","value":null}""");
        Assert.Single(outcome.Resource["emails"]!.AsArray());
    }

    [Fact]
    public void Filtered_replace_with_null_sub_attribute_on_missing_value_is_a_no_op()
    {
        var outcome = PatchUser("""{"op":"replace","path":"addresses[type eq \"work\"].formatted","value":""}""");
        Assert.False(outcome.Changed);
    }

    [Fact]
    public void Filter_values_are_compared_with_the_attribute_case_rules()
    {
        var outcome = PatchUser("""{"op":"replace","path":"emails[value eq \"BJENSEN@EXAMPLE.COM\"].display","value":"Work"}""");
        Assert.Equal("Work", outcome.Resource["emails"]![0]!["display"]!.GetValue<string>());
    }

    [Fact]
    public void Filtered_replace_with_non_eq_filter_matching_nothing_is_no_target()
    {
        Throws(ScimTypes.NoTarget, () => PatchUser("""{"op":"replace","path":"emails[value co \"nothing\"].display","value":"x"}"""));
        Throws(ScimTypes.NoTarget, () => PatchUser("""{"op":"replace","path":"emails[type eq \"other\" or type eq \"x\"].display","value":"x"}"""));
    }

    [Fact]
    public void Filtered_path_with_unknown_sub_attribute_is_invalid()
    {
        Throws(ScimTypes.InvalidPath, () => PatchUser("""{"op":"replace","path":"emails[type eq \"work\"].nope","value":"x"}"""));
        Throws(ScimTypes.InvalidFilter, () => PatchUser("""{"op":"replace","path":"emails[nope eq \"work\"].value","value":"x"}"""));
    }

    [Fact]
    public void Filter_on_singular_attribute_is_invalid_path()
    {
        Throws(ScimTypes.InvalidPath, () => PatchUser("""{"op":"replace","path":"name[givenName eq \"x\"].familyName","value":"y"}"""));
    }

    [Fact]
    public void Setting_primary_unsets_other_primaries()
    {
        var outcome = PatchUser("""{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}""");
        Assert.False(outcome.Resource["emails"]![0]!["primary"]!.GetValue<bool>());
        Assert.True(outcome.Resource["emails"]![1]!["primary"]!.GetValue<bool>());
    }

    [Fact]
    public void Adding_a_primary_value_unsets_the_old_primary()
    {
        var outcome = PatchUser("""{"op":"add","path":"emails","value":{"value":"n@x","type":"other","primary":"True"}}""");
        var emails = outcome.Resource["emails"]!.AsArray();
        Assert.Single(emails, e => e!["primary"]?.GetValue<bool>() == true);
        Assert.Equal("n@x", emails.Single(e => e!["primary"]?.GetValue<bool>() == true)!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Two_primaries_in_one_value_are_invalid()
    {
        Throws(ScimTypes.InvalidValue, () => PatchUser(
            """{"op":"replace","path":"emails","value":[{"value":"a","primary":true},{"value":"b","primary":true}]}"""));
    }

    [Fact]
    public void Unknown_path_is_invalid_path()
    {
        var ex = Throws(ScimTypes.InvalidPath, () => PatchUser("""{"op":"replace","path":"favouriteColour","value":"x"}"""));
        Assert.Contains("favouriteColour", ex.Detail, StringComparison.Ordinal);
        Throws(ScimTypes.InvalidPath, () => PatchUser("""{"op":"replace","path":"name.nope","value":"x"}"""));
        Throws(ScimTypes.InvalidPath, () => PatchUser("""{"op":"replace","path":"not a path","value":"x"}"""));
    }

    [Theory]
    [InlineData("id")]
    [InlineData("meta")]
    [InlineData("meta.created")]
    [InlineData("groups")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName")]
    public void Explicit_path_to_read_only_attribute_is_mutability(string path)
    {
        var ex = Throws(ScimTypes.Mutability, () => PatchUser($$"""{"op":"replace","path":"{{path}}","value":"x"}"""));
        Assert.Equal(400, ex.Status);
    }

    [Fact]
    public void Immutable_attribute_cannot_change_once_set()
    {
        var schema = new ResourceSchema(ScimSchemas.UserResourceType, ScimSchemas.User,
            [new SchemaDefinition("urn:example:hr:1.0:User", "Hr", "HR", [new AttributeDefinition { Name = "badge", Mutability = Mutability.Immutable }])]);
        var unset = Obj("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a"}""");
        var set = PatchEngine.Apply(schema, unset, Patch("""{"op":"add","path":"urn:example:hr:1.0:User:badge","value":"B1"}"""));
        Assert.Equal("B1", set.Resource["urn:example:hr:1.0:User"]!["badge"]!.GetValue<string>());

        Throws(ScimTypes.Mutability, () => PatchEngine.Apply(schema, set.Resource, Patch("""{"op":"replace","path":"urn:example:hr:1.0:User:badge","value":"B2"}""")));
        Throws(ScimTypes.Mutability, () => PatchEngine.Apply(schema, set.Resource, Patch("""{"op":"remove","path":"urn:example:hr:1.0:User:badge"}""")));
        var same = PatchEngine.Apply(schema, set.Resource, Patch("""{"op":"replace","path":"urn:example:hr:1.0:User:badge","value":"B1"}"""));
        Assert.False(same.Changed);
    }

    [Theory]
    [InlineData("""{"op":"replace","path":"userName","value":null}""")]
    [InlineData("""{"op":"replace","path":"userName","value":""}""")]
    [InlineData("""{"op":"remove","path":"userName"}""")]
    [InlineData("""{"op":"replace","value":{"userName":""}}""")]
    public void Clearing_a_required_attribute_is_invalid_value(string operation)
    {
        var ex = Throws(ScimTypes.InvalidValue, () => PatchUser(operation));
        Assert.Contains("userName", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Clearing_group_display_name_is_invalid_value()
    {
        Throws(ScimTypes.InvalidValue, () => PatchGroup("""{"op":"replace","path":"displayName","value":""}"""));
    }

    [Fact]
    public void Operations_are_atomic()
    {
        var current = Obj(User);
        var before = current.ToJsonString();
        var ex = Throws(ScimTypes.InvalidValue, () => PatchEngine.Apply(ScimSchemas.UserResource, current, Patch(
            """{"op":"replace","path":"displayName","value":"Changed"}""",
            """{"op":"replace","path":"active","value":"maybe"}""")));
        Assert.Equal(before, current.ToJsonString());
        Assert.Contains("Operation 2", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Current_is_never_mutated_on_success()
    {
        var current = Obj(User);
        var before = current.ToJsonString();
        var outcome = PatchEngine.Apply(ScimSchemas.UserResource, current, Patch(
            """{"op":"replace","path":"emails[type eq \"work\"].value","value":"x@y"}""",
            """{"op":"remove","path":"name"}"""));
        Assert.Equal(before, current.ToJsonString());
        Assert.NotSame(current, outcome.Resource);
    }

    [Theory]
    [InlineData("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}""")]
    [InlineData("""{"Operations":[]}""")]
    [InlineData("""{"Operations":{"op":"add"}}""")]
    [InlineData("""{"Operations":[1]}""")]
    [InlineData("""{"Operations":[{"op":"upsert","path":"title","value":"x"}]}""")]
    [InlineData("""{"Operations":[{"path":"title","value":"x"}]}""")]
    [InlineData("""{"Operations":[{"op":1,"path":"title","value":"x"}]}""")]
    public void Malformed_requests_are_invalid_syntax(string request)
    {
        Throws(ScimTypes.InvalidSyntax, () => PatchEngine.Apply(ScimSchemas.UserResource, Obj(User), Obj(request)));
    }

    [Fact]
    public void Request_member_names_are_case_insensitive_and_schemas_optional()
    {
        var outcome = PatchEngine.Apply(ScimSchemas.UserResource, Obj(User),
            Obj("""{"operations":[{"OP":"REPLACE","PATH":"title","VALUE":"x"}]}"""));
        Assert.Equal("x", outcome.Resource["title"]!.GetValue<string>());
    }

    [Fact]
    public void Non_string_path_is_invalid_path()
    {
        Throws(ScimTypes.InvalidPath, () => PatchUser("""{"op":"replace","path":5,"value":"x"}"""));
    }

    [Fact]
    public void Path_less_value_must_be_an_object()
    {
        Throws(ScimTypes.InvalidValue, () => PatchUser("""{"op":"replace","value":"x"}"""));
    }

    [Fact]
    public void Type_errors_in_values_are_invalid_value()
    {
        Throws(ScimTypes.InvalidValue, () => PatchUser("""{"op":"replace","path":"displayName","value":{"a":1}}"""));
        Throws(ScimTypes.InvalidValue, () => PatchUser("""{"op":"replace","path":"name","value":[{"givenName":"a"},{"givenName":"b"}]}"""));
    }

    [Fact]
    public void Password_replace_and_remove()
    {
        var set = PatchUser("""{"op":"replace","path":"password","value":"s3cret"}""");
        Assert.Equal("s3cret", set.NewPassword);
        Assert.False(set.PasswordCleared);
        Assert.False(set.Resource.ContainsKey("password"));
        Assert.False(set.Changed);

        var cleared = PatchUser("""{"op":"remove","path":"password"}""");
        Assert.Null(cleared.NewPassword);
        Assert.True(cleared.PasswordCleared);

        var pathless = PatchUser("""{"op":"replace","value":{"password":"p2"}}""");
        Assert.Equal("p2", pathless.NewPassword);

        var last = PatchUser("""{"op":"remove","path":"password"}""", """{"op":"add","path":"password","value":"p3"}""");
        Assert.Equal("p3", last.NewPassword);
        Assert.False(last.PasswordCleared);

        Throws(ScimTypes.InvalidValue, () => PatchUser("""{"op":"replace","path":"password","value":42}"""));
    }

    [Fact]
    public void Schemas_are_recomputed_when_extension_appears_or_empties()
    {
        var removed = PatchUser(
            $$"""{"op":"remove","path":"{{Enterprise}}:department"}""",
            $$"""{"op":"remove","path":"{{Enterprise}}:manager"}""");
        Assert.Null(Ext(removed));
        Equal("""["urn:ietf:params:scim:schemas:core:2.0:User"]""", removed.Resource["schemas"]);

        var added = PatchUserFrom("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a"}""",
            $$"""{"op":"add","path":"{{Enterprise}}:costCenter","value":"4130"}""");
        Equal($$"""["urn:ietf:params:scim:schemas:core:2.0:User","{{Enterprise}}"]""", added.Resource["schemas"]);
        Equal("""{"costCenter":"4130"}""", Ext(added));
    }

    [Fact]
    public void Path_naming_the_extension_urn_addresses_its_attributes()
    {
        var outcome = PatchUser($$$"""{"op":"replace","path":"{{{Enterprise}}}","value":{"costCenter":"1","department":"HR"}}""");
        Equal("""{"department":"HR","manager":{"value":"m1","$ref":"../Users/m1"},"costCenter":"1"}""", Ext(outcome));

        var removed = PatchUser($$"""{"op":"remove","path":"{{Enterprise}}"}""");
        Assert.Null(Ext(removed));
    }

    [Fact]
    public void Stored_members_or_meta_in_current_are_not_carried_over()
    {
        var current = Obj(Group);
        current["meta"] = new JsonObject { ["version"] = "W/\"1\"" };
        current["members"] = new JsonArray(new JsonObject { ["value"] = "u1" });
        var outcome = PatchEngine.Apply(ScimSchemas.GroupResource, current, Patch("""{"op":"replace","path":"externalId","value":"e-g1"}"""));
        Assert.False(outcome.Changed);
        Assert.False(outcome.Resource.ContainsKey("meta"));
        Assert.False(outcome.Resource.ContainsKey("members"));
    }

    [Fact]
    public void Operations_apply_in_order()
    {
        var outcome = PatchUser(
            """{"op":"remove","path":"emails"}""",
            """{"op":"add","path":"emails","value":[{"value":"only@x","type":"work"}]}""");
        Equal("""[{"value":"only@x","type":"work"}]""", outcome.Resource["emails"]);
    }

    [Fact]
    public void Sub_attribute_of_multi_valued_without_filter_addresses_every_value()
    {
        var outcome = PatchUser("""{"op":"replace","path":"emails.display","value":"E"}""");
        Assert.All(outcome.Resource["emails"]!.AsArray(), e => Assert.Equal("E", e!["display"]!.GetValue<string>()));
        var removed = PatchUser("""{"op":"remove","path":"emails.type"}""");
        Assert.All(removed.Resource["emails"]!.AsArray(), e => Assert.Null(e!["type"]));
    }
}
