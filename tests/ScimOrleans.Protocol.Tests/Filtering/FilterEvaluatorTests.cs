using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Filtering;

public sealed class FilterEvaluatorTests
{
    private static readonly JsonObject User = TestJson.Obj(
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "id":"2819c223-7f76-453a-919d-413861904646","externalId":"Ext-1","userName":"BJensen@Example.com",
         "name":{"givenName":"Barbara","familyName":"Jensen"},"title":"","active":true,
         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@jensen.org","type":"home"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"Tour Operations","manager":{"value":"m1"}},
         "meta":{"resourceType":"User","created":"2010-01-23T04:56:22Z","lastModified":"2011-05-13T04:42:34Z"}}
        """);

    private static bool Matches(string filter, JsonObject? resource = null) =>
        FilterEvaluator.Matches(FilterBinder.Bind(FilterParser.Parse(filter), ScimSchemas.UserResource), resource ?? User, ScimSchemas.UserResource);

    [Theory]
    [InlineData("userName eq \"bjensen@example.com\"", true)]
    [InlineData("USERNAME EQ \"BJENSEN@EXAMPLE.COM\"", true)]
    [InlineData("userName eq \"bjensen\"", false)]
    [InlineData("userName ne \"bjensen@example.com\"", false)]
    [InlineData("userName ne \"other\"", true)]
    [InlineData("userName co \"JENSEN@\"", true)]
    [InlineData("userName sw \"bj\"", true)]
    [InlineData("userName ew \".COM\"", true)]
    [InlineData("userName ew \".org\"", false)]
    [InlineData("userName gt \"a\"", true)]
    [InlineData("userName lt \"a\"", false)]
    [InlineData("userName ge \"BJENSEN@EXAMPLE.COM\"", true)]
    [InlineData("userName le \"bjensen@example.com\"", true)]
    public void Case_insensitive_strings(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("id eq \"2819c223-7f76-453a-919d-413861904646\"", true)]
    [InlineData("id eq \"2819C223-7F76-453A-919D-413861904646\"", false)]
    [InlineData("externalId eq \"Ext-1\"", true)]
    [InlineData("externalId eq \"ext-1\"", false)]
    [InlineData("externalId sw \"ext\"", false)]
    public void Id_and_external_id_are_case_exact(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("active eq true", true)]
    [InlineData("active eq \"True\"", true)]
    [InlineData("active eq false", false)]
    [InlineData("active ne false", true)]
    public void Booleans(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("meta.lastModified gt \"2011-05-13T04:42:33Z\"", true)]
    [InlineData("meta.lastModified gt \"2011-05-13T04:42:34Z\"", false)]
    [InlineData("meta.lastModified ge \"2011-05-13T06:42:34+02:00\"", true)]
    [InlineData("meta.lastModified eq \"2011-05-13T04:42:34.000Z\"", true)]
    [InlineData("meta.created lt \"2011-01-01\"", true)]
    [InlineData("meta.created le \"2010-01-23T04:56:21Z\"", false)]
    public void Date_times_compare_by_instant(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("emails.value eq \"babs@jensen.org\"", true)]
    [InlineData("emails co \"jensen.org\"", true)]
    [InlineData("emails.type eq \"other\"", false)]
    [InlineData("emails[type eq \"work\" and value co \"@example.com\"]", true)]
    [InlineData("emails[type eq \"home\" and value co \"@example.com\"]", false)]
    [InlineData("emails[type eq \"work\"].value eq \"bjensen@example.com\"", true)]
    [InlineData("emails[type eq \"work\"].value eq \"babs@jensen.org\"", false)]
    [InlineData("emails[primary eq true].type eq \"work\"", true)]
    [InlineData("emails[not (type eq \"work\")]", true)]
    [InlineData("emails[type pr]", true)]
    public void Multi_valued_attributes_match_when_any_value_matches(string filter, bool expected) =>
        Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("title pr", false)]
    [InlineData("name pr", true)]
    [InlineData("name.middleName pr", false)]
    [InlineData("nickName pr", false)]
    [InlineData("emails pr", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager pr", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter pr", false)]
    public void Present(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("nickName eq \"x\"", false)]
    [InlineData("nickName ne \"x\"", true)]
    [InlineData("nickName co \"x\"", false)]
    [InlineData("nickName gt \"a\"", false)]
    [InlineData("nickName eq null", true)]
    [InlineData("nickName ne null", false)]
    [InlineData("userName eq null", false)]
    [InlineData("userName ne null", true)]
    [InlineData("title eq null", true)]
    public void Missing_attributes_satisfy_only_ne(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department sw \"tour\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m1\"", true)]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"M1\"", true)]
    public void Extension_attributes(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Theory]
    [InlineData("userName eq \"x\" or active eq true and title pr", false)]
    [InlineData("(userName eq \"x\" or active eq true) and name pr", true)]
    [InlineData("not (userName eq \"x\") and active eq true", true)]
    [InlineData("userName eq \"x\" or userName ew \"com\"", true)]
    [InlineData("not (active eq true or userName eq \"x\")", false)]
    public void Logical_operators_and_precedence(string filter, bool expected) => Assert.Equal(expected, Matches(filter));

    [Fact]
    public void Numbers_compare_numerically()
    {
        var schema = new ResourceSchema(ScimSchemas.UserResourceType, ScimSchemas.User,
            [new SchemaDefinition("urn:example:hr:1.0:User", "Hr", "HR", [new AttributeDefinition { Name = "level", Type = AttributeType.Integer }])]);
        var resource = TestJson.Obj("""{"userName":"a","urn:example:hr:1.0:User":{"level":10}}""");
        bool Eval(string f) => FilterEvaluator.Matches(FilterBinder.Bind(FilterParser.Parse(f), schema), resource, schema);
        Assert.True(Eval("urn:example:hr:1.0:User:level gt 9"));
        Assert.False(Eval("urn:example:hr:1.0:User:level lt 9"));
        Assert.True(Eval("urn:example:hr:1.0:User:level eq 10.0"));
        Assert.True(Eval("urn:example:hr:1.0:User:level ge \"10\""));
    }

    [Fact]
    public void Group_members_filters()
    {
        var group = TestJson.Obj("""{"displayName":"Eng","members":[{"value":"u1","type":"User"},{"value":"g2","type":"Group"}]}""");
        bool Eval(string f) => FilterEvaluator.Matches(FilterBinder.Bind(FilterParser.Parse(f), ScimSchemas.GroupResource), group, ScimSchemas.GroupResource);
        Assert.True(Eval("members[value eq \"u1\"]"));
        Assert.False(Eval("members[value eq \"U1\"]"));
        Assert.True(Eval("members.type eq \"group\""));
        Assert.True(Eval("displayName eq \"eng\""));
    }
}
