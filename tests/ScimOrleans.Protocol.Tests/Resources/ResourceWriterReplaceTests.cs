using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;
using static ScimOrleans.Protocol.Tests.TestJson;

namespace ScimOrleans.Protocol.Tests.Resources;

public sealed class ResourceWriterReplaceTests
{
    private const string CurrentUser =
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "id":"u1","userName":"bjensen","name":{"givenName":"Barbara","familyName":"Jensen"},"active":true,
         "emails":[{"value":"b@x.com","type":"work","primary":true}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}}
        """;

    private static WriteOutcome ReplaceUser(string body, string current = CurrentUser) =>
        ResourceWriter.PrepareReplace(ScimSchemas.UserResource, Obj(current), Obj(body));

    [Fact]
    public void Omitted_attributes_are_cleared_and_id_kept()
    {
        var outcome = ReplaceUser("""{"userName":"bjensen","active":false}""");
        Equal("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"bjensen","active":false}""", outcome.Resource);
        Assert.True(outcome.Changed);
        Assert.Null(outcome.Members);
    }

    [Fact]
    public void Okta_put_of_the_get_body_is_unchanged()
    {
        var outcome = ReplaceUser(
            """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "id":"u1","userName":"bjensen","name":{"familyName":"Jensen","givenName":"Barbara"},"active":true,
             "emails":[{"primary":true,"value":"b@x.com","type":"work"}],
             "meta":{"resourceType":"User","created":"2024-01-01T00:00:00Z","location":"https://x/Users/u1"},
             "groups":[{"value":"g1","display":"Eng"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}}
            """);
        Assert.False(outcome.Changed);
        Assert.Empty(outcome.IgnoredAttributes);
    }

    [Fact]
    public void Okta_deactivation_by_put()
    {
        var outcome = ReplaceUser(
            """{"id":"u1","userName":"bjensen","name":{"givenName":"Barbara","familyName":"Jensen"},"active":false,"emails":[{"value":"b@x.com","type":"work","primary":true}],"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"}}""");
        Assert.True(outcome.Changed);
        Assert.False(outcome.Resource["active"]!.GetValue<bool>());
        Assert.Equal("u1", outcome.Resource["id"]!.GetValue<string>());
    }

    [Fact]
    public void Client_id_in_body_is_ignored()
    {
        var outcome = ReplaceUser("""{"id":"other","userName":"bjensen"}""");
        Assert.Equal("u1", outcome.Resource["id"]!.GetValue<string>());
    }

    [Fact]
    public void Password_in_put_is_returned_for_hashing()
    {
        var outcome = ReplaceUser("""{"userName":"bjensen","password":"echoed"}""");
        Assert.Equal("echoed", outcome.NewPassword);
        Assert.False(outcome.Resource.ContainsKey("password"));
    }

    [Fact]
    public void Required_attribute_still_required()
    {
        Throws(ScimTypes.InvalidValue, () => ReplaceUser("""{"active":true}"""));
    }

    [Fact]
    public void Immutable_attributes_must_match()
    {
        var schema = new ResourceSchema(
            ScimSchemas.UserResourceType,
            ScimSchemas.User,
            [new SchemaDefinition("urn:example:hr:1.0:User", "Hr", "HR", [
                new AttributeDefinition { Name = "badge", Mutability = Mutability.Immutable },
            ])]);
        var current = Obj("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:example:hr:1.0:User"],"id":"u1","userName":"a","urn:example:hr:1.0:User":{"badge":"B1"}}""");

        var ex = Throws(ScimTypes.Mutability, () => ResourceWriter.PrepareReplace(schema, current, Obj("""{"userName":"a","urn:example:hr:1.0:User":{"badge":"B2"}}""")));
        Assert.Equal(400, ex.Status);
        Assert.Contains("badge", ex.Detail, StringComparison.Ordinal);

        var same = ResourceWriter.PrepareReplace(schema, current, Obj("""{"userName":"a","urn:example:hr:1.0:User":{"badge":"B1"}}"""));
        Assert.False(same.Changed);

        var omitted = ResourceWriter.PrepareReplace(schema, current, Obj("""{"userName":"a"}"""));
        Assert.Equal("B1", omitted.Resource["urn:example:hr:1.0:User"]!["badge"]!.GetValue<string>());
        Assert.False(omitted.Changed);

        var unset = Obj("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"a"}""");
        var first = ResourceWriter.PrepareReplace(schema, unset, Obj("""{"userName":"a","urn:example:hr:1.0:User":{"badge":"B9"}}"""));
        Assert.Equal("B9", first.Resource["urn:example:hr:1.0:User"]!["badge"]!.GetValue<string>());
    }

    [Fact]
    public void Changed_ignores_property_order()
    {
        var outcome = ReplaceUser(
            """{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales"},"emails":[{"type":"work","primary":"true","value":"b@x.com"}],"active":"True","name":{"familyName":"Jensen","givenName":"Barbara"},"userName":"bjensen"}""");
        Assert.False(outcome.Changed);
    }

    [Fact]
    public void Group_put_with_members_replaces_them()
    {
        var current = Obj("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Eng"}""");
        var outcome = ResourceWriter.PrepareReplace(ScimSchemas.GroupResource, current,
            Obj("""{"displayName":"Eng","members":[{"value":"u1"},{"value":"u2","type":"User"}]}"""));
        Assert.False(outcome.Changed);
        Assert.NotNull(outcome.Members);
        Assert.True(outcome.Members.ClearExisting);
        Assert.Equal(["u1", "u2"], outcome.Members.Added.Select(m => m.Value));
        Assert.Empty(outcome.Members.Removed);
    }

    [Fact]
    public void Group_put_with_empty_members_clears_them()
    {
        var current = Obj("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Eng"}""");
        var outcome = ResourceWriter.PrepareReplace(ScimSchemas.GroupResource, current, Obj("""{"displayName":"Eng","members":[]}"""));
        Assert.True(outcome.Members!.ClearExisting);
        Assert.Empty(outcome.Members.Added);
    }

    [Fact]
    public void Group_put_without_members_leaves_them_untouched()
    {
        var current = Obj("""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Eng"}""");
        Assert.Null(ResourceWriter.PrepareReplace(ScimSchemas.GroupResource, current, Obj("""{"displayName":"Eng2"}""")).Members);
        Assert.Null(ResourceWriter.PrepareReplace(ScimSchemas.GroupResource, current, Obj("""{"displayName":"Eng2","members":null}""")).Members);
    }

    [Fact]
    public void Does_not_mutate_current()
    {
        var current = Obj(CurrentUser);
        var before = current.ToJsonString();
        ResourceWriter.PrepareReplace(ScimSchemas.UserResource, current, Obj("""{"userName":"z"}"""));
        Assert.Equal(before, current.ToJsonString());
    }
}
