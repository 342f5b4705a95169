using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;
using static ScimOrleans.Protocol.Tests.TestJson;

namespace ScimOrleans.Protocol.Tests.Schemas;

public sealed class SchemaDefinitionReaderTests
{
    private const string Urn = "urn:example:params:scim:schemas:extension:acme:2.0:Group";

    [Fact]
    public void Reads_a_definition_with_rfc_defaults_and_round_trips_through_the_discovery_form()
    {
        var definition = SchemaDefinitionReader.Read(Urn, Obj("""
            {"name":"AcmeGroup","attributes":[
              {"name":"clearanceLevel"},
              {"name":"isArchived","type":"Boolean","mutability":"READONLY"},
              {"name":"owner","type":"complex","multiValued":true,"subAttributes":[
                {"name":"value","caseExact":true,"required":true},{"name":"since","type":"dateTime"}]}]}
            """));

        Assert.Equal(Urn, definition.Id);
        Assert.Equal("AcmeGroup", definition.Name);
        var clearance = definition.Attributes[0];
        Assert.Equal(AttributeType.String, clearance.Type);
        Assert.False(clearance.MultiValued || clearance.Required || clearance.CaseExact);
        Assert.Equal(Mutability.ReadWrite, clearance.Mutability);
        Assert.Equal(Returned.Default, clearance.Returned);
        Assert.Equal(Mutability.ReadOnly, definition.Attributes[1].Mutability);
        Assert.Equal(AttributeType.DateTime, definition.FindAttribute("OWNER")!.FindSubAttribute("since")!.Type);

        var again = SchemaDefinitionReader.Read(Urn, definition.ToJson("https://x/scim/v2/t"));
        Assert.Equal(definition.ToJson("").ToJsonString(), again.ToJson("").ToJsonString());
        Assert.Equal("clearanceLevel", SchemaDefinitionReader.Read(Urn, Obj("""{"attributes":[{"name":"clearanceLevel"}]}""")).Attributes[0].Name);
        Assert.Equal("Group", SchemaDefinitionReader.Read(Urn, Obj("""{"attributes":[{"name":"a"}]}""")).Name);
    }

    [Theory]
    [InlineData("urn:example:x", """{"attributes":[]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"type":"string"}]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"name":"1st"}]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"name":"a"},{"name":"A"}]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"name":"a","type":"money"}]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"name":"a","uniqueness":"global"}]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"name":"a","mutability":"writeOnly"}]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"name":"a","type":"complex"}]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"name":"a","subAttributes":[{"name":"b"}]}]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"name":"a","type":"complex","subAttributes":[{"name":"b","type":"complex","subAttributes":[{"name":"c"}]}]}]}""")]
    [InlineData("urn:example:x", """{"attributes":[{"name":"a","canonicalValues":[1]}]}""")]
    [InlineData("urn:example:x", """{"id":"urn:example:y","attributes":[{"name":"a"}]}""")]
    [InlineData("example:x", """{"attributes":[{"name":"a"}]}""")]
    [InlineData("urn:example::x", """{"attributes":[{"name":"a"}]}""")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", """{"attributes":[{"name":"a"}]}""")]
    [InlineData("urn:ietf:params:scim:api:messages:2.0:Custom", """{"attributes":[{"name":"a"}]}""")]
    public void Rejects_what_the_server_could_not_honour(string urn, string body) =>
        Throws("invalidValue", () => SchemaDefinitionReader.Read(urn, Obj(body)));

    [Fact]
    public void A_resource_schema_with_an_extension_validates_filters_and_projects_it()
    {
        var extension = SchemaDefinitionReader.Read(Urn, Obj("""
            {"attributes":[{"name":"clearanceLevel"},{"name":"isArchived","type":"boolean","mutability":"readOnly"}]}
            """));
        var schema = ScimSchemas.GroupResource.WithExtensions([(extension, false)]);
        Assert.Same(ScimSchemas.GroupResource, ScimSchemas.GroupResource.WithExtensions([]));
        Assert.Equal(Urn, Assert.Single(schema.ResourceType.SchemaExtensions).Schema);
        Assert.NotNull(schema.Resolve(AttributePath.Parse(Urn + ":clearanceLevel")));

        var created = ResourceWriter.PrepareCreate(schema, Obj($$$"""{"displayName":"G","{{{Urn}}}":{"clearanceLevel":"Secret","isArchived":true}}"""));
        Equal($$$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group","{{{Urn}}}"],"displayName":"G","{{{Urn}}}":{"clearanceLevel":"Secret"}}""", created.Resource);
        var filter = FilterBinder.Bind(FilterParser.Parse(Urn + ":clearanceLevel eq \"secret\""), schema);
        Assert.True(FilterEvaluator.Matches(filter, created.Resource, schema));
        Throws("invalidFilter", () => FilterBinder.Bind(FilterParser.Parse(Urn + ":clearanceLevel eq \"secret\""), ScimSchemas.GroupResource));
    }
}
