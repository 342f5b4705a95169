using System.Text.Json;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Tests.Filtering;

public sealed class FilterParserTests
{
    private static AttributePath P(string name) => AttributePath.Parse(name);

    [Theory]
    [InlineData("eq", ComparisonOperator.Eq)]
    [InlineData("NE", ComparisonOperator.Ne)]
    [InlineData("Co", ComparisonOperator.Co)]
    [InlineData("sw", ComparisonOperator.Sw)]
    [InlineData("ew", ComparisonOperator.Ew)]
    [InlineData("gt", ComparisonOperator.Gt)]
    [InlineData("GE", ComparisonOperator.Ge)]
    [InlineData("lt", ComparisonOperator.Lt)]
    [InlineData("le", ComparisonOperator.Le)]
    public void Parses_every_comparison_operator_case_insensitively(string op, ComparisonOperator expected)
    {
        var node = Assert.IsType<ComparisonNode>(FilterParser.Parse($"userName {op} \"bjensen\""));
        Assert.Equal(expected, node.Operator);
        Assert.Equal(P("userName"), node.Path);
        Assert.Equal("bjensen", node.Value!.GetValue<string>());
    }

    [Fact]
    public void Parses_present()
    {
        Assert.Equal(new PresentNode(P("title")), FilterParser.Parse("title PR"));
    }

    [Fact]
    public void And_binds_tighter_than_or()
    {
        var node = FilterParser.Parse("a eq 1 or b eq 2 and c eq 3");
        var or = Assert.IsType<OrNode>(node);
        Assert.IsType<ComparisonNode>(or.Left);
        var and = Assert.IsType<AndNode>(or.Right);
        Assert.Equal(P("b"), ((ComparisonNode)and.Left).Path);
        Assert.Equal(P("c"), ((ComparisonNode)and.Right).Path);
    }

    [Fact]
    public void Not_binds_tighter_than_and()
    {
        var node = FilterParser.Parse("not (a pr) and b pr");
        var and = Assert.IsType<AndNode>(node);
        Assert.IsType<NotNode>(and.Left);
        Assert.IsType<PresentNode>(and.Right);
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        var node = FilterParser.Parse("(a eq 1 or b eq 2) and c eq 3");
        var and = Assert.IsType<AndNode>(node);
        Assert.IsType<OrNode>(and.Left);
    }

    [Fact]
    public void Chains_associate_to_the_left()
    {
        var node = Assert.IsType<AndNode>(FilterParser.Parse("a pr and b pr AND c pr"));
        Assert.IsType<AndNode>(node.Left);
        Assert.Equal(new PresentNode(P("c")), node.Right);
    }

    [Fact]
    public void Rfc_example_with_nested_groups()
    {
        var node = FilterParser.Parse(
            "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co \"example.org\")");
        var and = Assert.IsType<AndNode>(node);
        var or = Assert.IsType<OrNode>(and.Right);
        Assert.Equal(P("emails.value"), ((ComparisonNode)or.Right).Path);
    }

    [Fact]
    public void Value_path_filter()
    {
        var node = Assert.IsType<ValuePathNode>(
            FilterParser.Parse("emails[type eq \"work\" and value co \"@example.com\"]"));
        Assert.Equal(P("emails"), node.Path);
        var and = Assert.IsType<AndNode>(node.Filter);
        Assert.Equal(P("type"), ((ComparisonNode)and.Left).Path);
    }

    [Fact]
    public void Value_path_with_not_and_or_inside()
    {
        var node = Assert.IsType<ValuePathNode>(
            FilterParser.Parse("emails[not (type eq \"work\") or (primary eq true and value pr)]"));
        var or = Assert.IsType<OrNode>(node.Filter);
        Assert.IsType<NotNode>(or.Left);
        Assert.IsType<AndNode>(or.Right);
    }

    [Fact]
    public void Entra_value_path_with_trailing_sub_attribute_becomes_a_conjunction()
    {
        var node = FilterParser.Parse("emails[type eq \"work\"].value eq \"user@contoso.com\"");
        var expected = new ValuePathNode(
            P("emails"),
            new AndNode(
                new ComparisonNode(P("type"), ComparisonOperator.Eq, System.Text.Json.Nodes.JsonValue.Create("work")),
                new ComparisonNode(P("value"), ComparisonOperator.Eq, System.Text.Json.Nodes.JsonValue.Create("user@contoso.com"))));
        var actual = Assert.IsType<ValuePathNode>(node);
        Assert.Equal(expected.Path, actual.Path);
        var and = Assert.IsType<AndNode>(actual.Filter);
        Assert.Equal("work", ((ComparisonNode)and.Left).Value!.GetValue<string>());
        Assert.Equal(P("value"), ((ComparisonNode)and.Right).Path);
        Assert.Equal("user@contoso.com", ((ComparisonNode)and.Right).Value!.GetValue<string>());
    }

    [Fact]
    public void Value_path_followed_by_sub_attribute_present()
    {
        var node = Assert.IsType<ValuePathNode>(FilterParser.Parse("emails[type eq \"work\"].value pr"));
        var and = Assert.IsType<AndNode>(node.Filter);
        Assert.Equal(new PresentNode(P("value")), and.Right);
    }

    [Fact]
    public void Value_path_combined_with_other_expressions()
    {
        var node = Assert.IsType<OrNode>(FilterParser.Parse("userType eq \"x\" and emails[type eq \"work\"] or title pr"));
        Assert.IsType<ValuePathNode>(Assert.IsType<AndNode>(node.Left).Right);
    }

    [Fact]
    public void Urn_qualified_paths()
    {
        var node = Assert.IsType<ComparisonNode>(
            FilterParser.Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"701984\""));
        Assert.Equal("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", node.Path.SchemaUrn);
        Assert.Equal("employeeNumber", node.Path.Attribute);

        var manager = Assert.IsType<ComparisonNode>(
            FilterParser.Parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m1\""));
        Assert.Equal("value", manager.Path.SubAttribute);
    }

    [Theory]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("\"a\\\\b\"", "a\\b")]
    [InlineData("\"\\u00e9t\\u00E9\"", "été")]
    [InlineData("\"line\\nbreak\\t\"", "line\nbreak\t")]
    [InlineData("\"a\\/b\"", "a/b")]
    [InlineData("\"\"", "")]
    [InlineData("\"with ) and ( and ] inside\"", "with ) and ( and ] inside")]
    public void String_literals_follow_json_escaping(string literal, string expected)
    {
        var node = Assert.IsType<ComparisonNode>(FilterParser.Parse("displayName eq " + literal));
        Assert.Equal(expected, node.Value!.GetValue<string>());
    }

    [Theory]
    [InlineData("true", JsonValueKind.True)]
    [InlineData("False", JsonValueKind.False)]
    [InlineData("42", JsonValueKind.Number)]
    [InlineData("-7", JsonValueKind.Number)]
    [InlineData("3.25", JsonValueKind.Number)]
    [InlineData("1e3", JsonValueKind.Number)]
    [InlineData("-2.5E-2", JsonValueKind.Number)]
    public void Literal_values(string literal, JsonValueKind kind)
    {
        var node = Assert.IsType<ComparisonNode>(FilterParser.Parse("x eq " + literal));
        Assert.Equal(kind, node.Value!.GetValueKind());
    }

    [Fact]
    public void Numbers_keep_their_value()
    {
        Assert.Equal(42L, ((ComparisonNode)FilterParser.Parse("x gt 42")).Value!.GetValue<long>());
        Assert.Equal(-0.025m, ((ComparisonNode)FilterParser.Parse("x gt -2.5E-2")).Value!.GetValue<decimal>());
        Assert.Equal(1000m, ((ComparisonNode)FilterParser.Parse("x gt 1e3")).Value!.GetValue<decimal>());
    }

    [Fact]
    public void Null_literal_gives_a_null_value()
    {
        var node = Assert.IsType<ComparisonNode>(FilterParser.Parse("title eq null"));
        Assert.Null(node.Value);
    }

    [Fact]
    public void Attribute_named_like_a_keyword_is_still_an_attribute()
    {
        Assert.Equal(new PresentNode(P("not")), FilterParser.Parse("not pr"));
        var and = Assert.IsType<AndNode>(FilterParser.Parse("and pr and or pr"));
        Assert.Equal(new PresentNode(P("and")), and.Left);
    }

    [Fact]
    public void Not_without_parentheses_is_accepted()
    {
        var not = Assert.IsType<NotNode>(FilterParser.Parse("not userName eq \"x\""));
        Assert.IsType<ComparisonNode>(not.Inner);
    }

    [Fact]
    public void Extra_whitespace_is_fine()
    {
        var node = FilterParser.Parse("  ( userName   eq\t\"x\" )  ");
        Assert.IsType<ComparisonNode>(node);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("userName")]
    [InlineData("userName eq")]
    [InlineData("userName eq bjensen")]
    [InlineData("userName xx \"a\"")]
    [InlineData("userName eq \"a\" and")]
    [InlineData("userName eq \"a\" or or b pr")]
    [InlineData("(userName eq \"a\"")]
    [InlineData("userName eq \"a\")")]
    [InlineData("emails[type eq \"work\"")]
    [InlineData("emails type eq \"work\"]")]
    [InlineData("emails[type eq \"work\"]]")]
    [InlineData("emails[type[value eq \"x\"]]")]
    [InlineData("userName eq \"unterminated")]
    [InlineData("userName eq \"bad \\x escape\"")]
    [InlineData("userName eq \"bad \\u12 escape\"")]
    [InlineData("userName eq \"a\" userName eq \"b\"")]
    [InlineData("1abc eq \"x\"")]
    [InlineData("()")]
    [InlineData("not")]
    [InlineData("not ()")]
    [InlineData("emails[].value eq \"x\"")]
    [InlineData("emails[type eq \"w\"].1 eq \"x\"")]
    [InlineData("x eq 1e99999")]
    [InlineData("x eq 01x")]
    [InlineData("name.givenName[x eq 1]")]
    [InlineData("userName eq \"a\" \"b\"")]
    public void Invalid_filters_throw_invalid_filter(string filter)
    {
        var ex = Assert.Throws<ScimException>(() => FilterParser.Parse(filter));
        Assert.Equal(400, ex.Status);
        Assert.Equal(ScimTypes.InvalidFilter, ex.ScimType);
    }

    [Fact]
    public void Error_detail_mentions_the_position()
    {
        var ex = Assert.Throws<ScimException>(() => FilterParser.Parse("userName eq \"a\" xor title pr"));
        Assert.Contains("position 17", ex.Detail, StringComparison.Ordinal);
        Assert.Contains("xor", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_rejected_without_overflowing_the_stack()
    {
        var deep = new string('(', 3000) + "a pr" + new string(')', 3000);
        var ex = Assert.Throws<ScimException>(() => FilterParser.Parse(deep));
        Assert.Equal(ScimTypes.InvalidFilter, ex.ScimType);
        Assert.Contains("nested", ex.Detail, StringComparison.Ordinal);

        var nots = string.Concat(Enumerable.Repeat("not ", 3000)) + "a pr";
        Assert.Equal(ScimTypes.InvalidFilter, Assert.Throws<ScimException>(() => FilterParser.Parse(nots)).ScimType);
    }

    [Fact]
    public void Moderate_nesting_is_accepted()
    {
        var filter = new string('(', 30) + "a pr" + new string(')', 30);
        Assert.IsType<PresentNode>(FilterParser.Parse(filter));
    }

    [Fact]
    public void Overlong_filters_are_rejected()
    {
        var filter = "userName eq \"" + new string('a', FilterParser.MaxLength) + "\"";
        Assert.Equal(ScimTypes.InvalidFilter, Assert.Throws<ScimException>(() => FilterParser.Parse(filter)).ScimType);
    }

    [Fact]
    public void Long_or_chain_of_ids_is_accepted()
    {
        var filter = string.Join(" or ", Enumerable.Range(0, 200).Select(i => $"id eq \"{i}\""));
        Assert.IsType<OrNode>(FilterParser.Parse(filter));
    }
}
