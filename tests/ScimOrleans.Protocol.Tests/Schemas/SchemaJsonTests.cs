using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Schemas;

public sealed class SchemaJsonTests
{
    private const string BaseUrl = "https://scim.example.com/t1/scim/v2";

    [Fact]
    public void Schema_representation_has_meta_and_attributes()
    {
        var json = ScimSchemas.User.ToJson(BaseUrl + "/");
        Assert.Equal(ScimUris.Schema, json["schemas"]![0]!.GetValue<string>());
        Assert.Equal(ScimUris.User, json["id"]!.GetValue<string>());
        Assert.Equal("User", json["name"]!.GetValue<string>());
        Assert.Equal("Schema", json["meta"]!["resourceType"]!.GetValue<string>());
        Assert.Equal(BaseUrl + "/Schemas/" + ScimUris.User, json["meta"]!["location"]!.GetValue<string>());
        var attributes = json["attributes"]!.AsArray();
        Assert.Equal(ScimSchemas.User.Attributes.Count, attributes.Count);
        Assert.DoesNotContain(attributes, a => a!["name"]!.GetValue<string>() is "id" or "meta");
    }

    [Fact]
    public void Attribute_characteristics_use_rfc_spelling()
    {
        var attributes = ScimSchemas.User.ToJson(BaseUrl)["attributes"]!.AsArray();
        var userName = attributes.Single(a => a!["name"]!.GetValue<string>() == "userName")!;
        TestJson.Equal(
            """
            {"name":"userName","type":"string","multiValued":false,"description":"Unique identifier for the User, typically used to sign in; case-insensitive.",
             "required":true,"caseExact":false,"mutability":"readWrite","returned":"default","uniqueness":"server"}
            """,
            userName);

        var password = attributes.Single(a => a!["name"]!.GetValue<string>() == "password")!;
        Assert.Equal("writeOnly", password["mutability"]!.GetValue<string>());
        Assert.Equal("never", password["returned"]!.GetValue<string>());

        var emails = attributes.Single(a => a!["name"]!.GetValue<string>() == "emails")!;
        Assert.Equal("complex", emails["type"]!.GetValue<string>());
        Assert.True(emails["multiValued"]!.GetValue<bool>());
        var type = emails["subAttributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "type")!;
        TestJson.Equal("""["work","home","other"]""", type["canonicalValues"]);

        var profileUrl = attributes.Single(a => a!["name"]!.GetValue<string>() == "profileUrl")!;
        Assert.Equal("reference", profileUrl["type"]!.GetValue<string>());
        TestJson.Equal("""["external"]""", profileUrl["referenceTypes"]);

        var groups = attributes.Single(a => a!["name"]!.GetValue<string>() == "groups")!;
        Assert.Equal("readOnly", groups["mutability"]!.GetValue<string>());
    }

    [Fact]
    public void Enterprise_schema_describes_manager_and_date_types_are_spelled_dateTime()
    {
        var manager = ScimSchemas.EnterpriseUser.ToJson(BaseUrl)["attributes"]!.AsArray()
            .Single(a => a!["name"]!.GetValue<string>() == "manager")!;
        var subs = manager["subAttributes"]!.AsArray().Select(s => s!["name"]!.GetValue<string>());
        Assert.Equal(["value", "$ref", "displayName"], subs);

        var meta = SchemaJson.WriteAttribute(ScimSchemas.UserResource.Resolve(Protocol.Paths.AttributePath.Parse("meta"))!.Attribute);
        var created = meta["subAttributes"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "created")!;
        Assert.Equal("dateTime", created["type"]!.GetValue<string>());
    }

    [Fact]
    public void Resource_type_representation()
    {
        var json = ScimSchemas.UserResourceType.ToJson(BaseUrl);
        TestJson.Equal(
            $$"""
            {
              "schemas":["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
              "id":"User","name":"User","endpoint":"/Users","description":"User Account",
              "schema":"urn:ietf:params:scim:schemas:core:2.0:User",
              "schemaExtensions":[{"schema":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","required":false}],
              "meta":{"resourceType":"ResourceType","location":"{{BaseUrl}}/ResourceTypes/User"}
            }
            """,
            json);
        var group = ScimSchemas.GroupResourceType.ToJson(BaseUrl);
        Assert.Equal("/Groups", group["endpoint"]!.GetValue<string>());
        Assert.Empty(group["schemaExtensions"]!.AsArray());
    }

    [Fact]
    public void Group_schema_is_serialisable()
    {
        var text = ScimSchemas.Group.ToJson(BaseUrl).ToJsonString();
        Assert.Contains("\"members\"", text, StringComparison.Ordinal);
        Assert.IsType<JsonObject>(JsonNode.Parse(text));
    }
}
