using System.Text.Json;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Filtering;

public sealed class FilterBinderTests
{
    private const string Enterprise = ScimUris.EnterpriseUser;

    private static FilterNode BindUser(string filter) => FilterBinder.Bind(FilterParser.Parse(filter), ScimSchemas.UserResource);

    private static FilterNode BindGroup(string filter) => FilterBinder.Bind(FilterParser.Parse(filter), ScimSchemas.GroupResource);

    [Fact]
    public void Canonicalises_names()
    {
        var node = Assert.IsType<ComparisonNode>(BindUser("USERNAME eq \"x\""));
        Assert.Equal(new AttributePath(null, "userName", null), node.Path);
        var sub = Assert.IsType<ComparisonNode>(BindUser("Name.FamilyName co \"J\""));
        Assert.Equal(new AttributePath(null, "name", "familyName"), sub.Path);
    }

    [Fact]
    public void Core_urn_is_dropped_and_extension_urn_kept_in_schema_spelling()
    {
        var core = Assert.IsType<ComparisonNode>(BindUser("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\""));
        Assert.Null(core.Path.SchemaUrn);
        var ext = Assert.IsType<ComparisonNode>(BindUser(Enterprise.ToUpperInvariant() + ":DEPARTMENT eq \"Sales\""));
        Assert.Equal(new AttributePath(Enterprise, "department", null), ext.Path);
        var manager = Assert.IsType<ComparisonNode>(BindUser(Enterprise + ":manager.value eq \"m1\""));
        Assert.Equal(new AttributePath(Enterprise, "manager", "value"), manager.Path);
    }

    [Fact]
    public void Value_path_inner_paths_are_sub_attribute_names()
    {
        var node = Assert.IsType<ValuePathNode>(BindUser("EMAILS[TYPE eq \"work\"].VALUE eq \"x\""));
        Assert.Equal(new AttributePath(null, "emails", null), node.Path);
        var and = Assert.IsType<AndNode>(node.Filter);
        Assert.Equal(new AttributePath(null, "type", null), ((ComparisonNode)and.Left).Path);
        Assert.Equal(new AttributePath(null, "value", null), ((ComparisonNode)and.Right).Path);
    }

    [Fact]
    public void Sub_attribute_of_multi_valued_stays_a_comparison()
    {
        var node = Assert.IsType<ComparisonNode>(BindUser("emails.value eq \"x\""));
        Assert.Equal(new AttributePath(null, "emails", "value"), node.Path);
    }

    [Fact]
    public void Multi_valued_complex_without_sub_attribute_compares_value()
    {
        var node = Assert.IsType<ComparisonNode>(BindUser("emails co \"example.com\""));
        Assert.Equal(new AttributePath(null, "emails", "value"), node.Path);
    }

    [Fact]
    public void Meta_and_common_attributes_bind()
    {
        var created = Assert.IsType<ComparisonNode>(BindUser("meta.created gt \"2011-05-13T04:42:34+02:00\""));
        Assert.Equal(new AttributePath(null, "meta", "created"), created.Path);
        Assert.Equal("2011-05-13T02:42:34Z", created.Value!.GetValue<string>());
        Assert.IsType<ComparisonNode>(BindUser("id eq \"u1\""));
        Assert.IsType<OrNode>(BindGroup("id eq \"g1\" or externalId eq \"e1\""));
    }

    [Fact]
    public void Boolean_strings_are_coerced()
    {
        var node = Assert.IsType<ComparisonNode>(BindUser("active eq \"False\""));
        Assert.Equal(JsonValueKind.False, node.Value!.GetValueKind());
    }

    [Fact]
    public void Numbers_on_string_attributes_become_strings()
    {
        var node = Assert.IsType<ComparisonNode>(BindUser(Enterprise + ":employeeNumber eq 701984"));
        Assert.Equal("701984", node.Value!.GetValue<string>());
    }

    [Fact]
    public void Null_comparisons_with_eq_and_ne_bind()
    {
        Assert.Null(Assert.IsType<ComparisonNode>(BindUser("title eq null")).Value);
        Assert.Throws<ScimException>(() => BindUser("title gt null"));
    }

    [Theory]
    [InlineData("foo eq \"x\"", "foo")]
    [InlineData("name.foo eq \"x\"", "name.foo")]
    [InlineData("emails[foo eq \"x\"]", "foo")]
    [InlineData("urn:example:x:User:foo eq \"x\"", "foo")]
    [InlineData("department eq \"x\"", "department")]
    public void Unknown_attributes_are_invalid_filter(string filter, string named)
    {
        var ex = Assert.Throws<ScimException>(() => BindUser(filter));
        Assert.Equal(ScimTypes.InvalidFilter, ex.ScimType);
        Assert.Contains("unknown attribute", ex.Detail, StringComparison.Ordinal);
        Assert.Contains(named, ex.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name eq \"x\"")]
    [InlineData(Enterprise + ":manager eq \"x\"")]
    [InlineData("meta eq \"x\"")]
    [InlineData("active gt true")]
    [InlineData("active le \"true\"")]
    [InlineData("active co \"t\"")]
    [InlineData("active eq \"yes\"")]
    [InlineData("active eq 1")]
    [InlineData("password eq \"x\"")]
    [InlineData("password pr")]
    [InlineData("userName eq true and password sw \"a\"")]
    [InlineData("meta.created gt \"yesterday\"")]
    [InlineData("meta.created co \"2011\"")]
    [InlineData("userName[value eq \"x\"]")]
    [InlineData("emails[type[value eq \"x\"]]")]
    [InlineData("emails[type.value eq \"x\"]")]
    [InlineData("emails[urn:x:y eq \"x\"]")]
    public void Bad_comparisons_are_invalid_filter(string filter)
    {
        var ex = Assert.Throws<ScimException>(() => BindUser(filter));
        Assert.Equal(ScimTypes.InvalidFilter, ex.ScimType);
    }

    [Fact]
    public void Members_filters_bind_on_groups()
    {
        var node = Assert.IsType<ValuePathNode>(BindGroup("members[value eq \"u1\"]"));
        Assert.Equal(new AttributePath(null, "members", null), node.Path);
        var sub = Assert.IsType<ComparisonNode>(BindGroup("members.value eq \"u1\""));
        Assert.Equal(new AttributePath(null, "members", "value"), sub.Path);
    }

    [Fact]
    public void Present_on_complex_is_allowed()
    {
        Assert.Equal(new PresentNode(new AttributePath(null, "name", null)), BindUser("NAME pr"));
        Assert.Equal(new PresentNode(new AttributePath(Enterprise, "manager", null)), BindUser(Enterprise + ":manager pr"));
    }

    [Fact]
    public void Logical_structure_is_preserved()
    {
        var node = Assert.IsType<OrNode>(BindUser("not (userName eq \"a\") or (title pr and active eq true)"));
        Assert.IsType<NotNode>(node.Left);
        Assert.IsType<AndNode>(node.Right);
    }

    [Fact]
    public void Numeric_attributes_coerce_and_reject()
    {
        var schema = new ResourceSchema(ScimSchemas.UserResourceType, ScimSchemas.User,
            [new SchemaDefinition("urn:example:hr:1.0:User", "Hr", "HR", [
                new AttributeDefinition { Name = "level", Type = AttributeType.Integer },
                new AttributeDefinition { Name = "fte", Type = AttributeType.Decimal },
            ])]);
        var level = Assert.IsType<ComparisonNode>(FilterBinder.Bind(FilterParser.Parse("urn:example:hr:1.0:User:level ge \"3\""), schema));
        Assert.Equal(3L, level.Value!.GetValue<long>());
        var fte = Assert.IsType<ComparisonNode>(FilterBinder.Bind(FilterParser.Parse("urn:example:hr:1.0:User:fte lt 0.5"), schema));
        Assert.Equal(0.5m, fte.Value!.GetValue<decimal>());
        Assert.Throws<ScimException>(() => FilterBinder.Bind(FilterParser.Parse("urn:example:hr:1.0:User:level co 3"), schema));
        Assert.Throws<ScimException>(() => FilterBinder.Bind(FilterParser.Parse("urn:example:hr:1.0:User:level eq \"three\""), schema));
    }
}
