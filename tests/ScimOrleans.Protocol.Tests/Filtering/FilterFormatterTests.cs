using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Filtering;

public sealed class FilterFormatterTests
{
    [Theory]
    [InlineData("userName eq \"bjensen\"", "userName eq \"bjensen\"")]
    [InlineData("title PR", "title pr")]
    [InlineData("a eq 1 or b eq 2 and c eq 3", "a eq 1 or b eq 2 and c eq 3")]
    [InlineData("(a eq 1 or b eq 2) and c eq 3", "(a eq 1 or b eq 2) and c eq 3")]
    [InlineData("a pr and (b pr and c pr)", "a pr and (b pr and c pr)")]
    [InlineData("not(a pr)", "not (a pr)")]
    [InlineData("emails[type eq \"work\"].value eq \"x\"", "emails[type eq \"work\" and value eq \"x\"]")]
    [InlineData("x eq null", "x eq null")]
    [InlineData("x eq \"quote\\\" and é\"", "x eq \"quote\\\" and é\"")]
    public void Writes_rfc_syntax(string filter, string expected) => Assert.Equal(expected, FilterParser.Parse(filter).ToString());

    [Theory]
    [InlineData("userName eq \"bjensen\" and not (emails[type eq \"work\" or primary eq true]) or meta.created gt \"2011-05-13T04:42:34Z\"")]
    [InlineData("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m:1]\"")]
    [InlineData("a eq -2.5E-2 or b ne false")]
    [InlineData("(a pr or b pr) and (c pr or d pr)")]
    public void Parsing_the_output_gives_an_equal_tree(string filter)
    {
        var parsed = FilterParser.Parse(filter);
        Assert.Equal(parsed, FilterParser.Parse(parsed.ToString()));
    }

    [Fact]
    public void Two_parses_are_equal_and_hash_alike()
    {
        var a = FilterParser.Parse("userName eq \"x\" and active eq true");
        var b = FilterParser.Parse("USERNAME EQ \"x\" AND active eq true");
        Assert.NotEqual(a, b);
        var c = FilterParser.Parse("userName eq \"x\" and active eq true");
        Assert.Equal(a, c);
        Assert.Equal(a.GetHashCode(), c.GetHashCode());
        Assert.Equal(FilterParser.Parse("x eq 1"), FilterParser.Parse("x eq 1.0"));
    }

    [Fact]
    public void Bound_filters_stay_equal_across_binds()
    {
        var first = FilterBinder.Bind(FilterParser.Parse("USERNAME eq \"x\""), ScimSchemas.UserResource);
        var second = FilterBinder.Bind(FilterParser.Parse("userName eq \"x\""), ScimSchemas.UserResource);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Longest_accepted_chain_binds_evaluates_and_formats()
    {
        var terms = new List<string>();
        var length = 0;
        while (length < FilterParser.MaxLength - 20)
        {
            var term = "id pr";
            terms.Add(term);
            length += term.Length + 4;
        }

        var text = string.Join(" or ", terms);
        var bound = FilterBinder.Bind(FilterParser.Parse(text), ScimSchemas.UserResource);
        Assert.True(FilterEvaluator.Matches(bound, TestJson.Obj("""{"id":"u1","userName":"a"}"""), ScimSchemas.UserResource));
        Assert.Equal(text, bound.ToString());
    }
}
