using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Filtering;

/// <summary>
/// Case-insensitive text compares lower-cased values by code point — what the stores' lower-cased keys do — so the
/// reference evaluator and SQL agree even on characters that sit between 'Z' and 'a' or outside ASCII.
/// </summary>
public sealed class FilterEvaluatorOrderingTests
{
    private static bool Matches(string filter, string title) =>
        FilterEvaluator.Matches(
            FilterBinder.Bind(FilterParser.Parse(filter), ScimSchemas.UserResource),
            new JsonObject { ["userName"] = "u", ["title"] = title },
            ScimSchemas.UserResource);

    [Theory]
    // '_' (0x5F) lies between upper-case (0x41–0x5A) and lower-case (0x61–0x7A): folding to lower puts letters after it.
    [InlineData("title lt \"_\"", "Work", false)]
    [InlineData("title gt \"_\"", "WORK", true)]
    [InlineData("title gt \"[\"", "a", true)]
    [InlineData("title eq \"ÉMILE\"", "émile", true)]
    [InlineData("title co \"Ω\"", "ωmega", true)]
    [InlineData("title sw \"STRASSE\"", "straße", false)]
    [InlineData("title gt \"z\"", "é", true)]
    [InlineData("title lt \"\U0001F600\"", "\uFFFD", true)]
    public void Case_insensitive_text_compares_lower_cased_code_points(string filter, string title, bool expected) =>
        Assert.Equal(expected, Matches(filter, title));

    [Fact]
    public void Group_ids_in_user_groups_compare_exactly()
    {
        var user = new JsonObject { ["userName"] = "u", ["groups"] = new JsonArray(new JsonObject { ["value"] = "Abc" }) };
        bool Match(string filter) => FilterEvaluator.Matches(FilterBinder.Bind(FilterParser.Parse(filter), ScimSchemas.UserResource), user, ScimSchemas.UserResource);

        Assert.True(Match("groups.value eq \"Abc\""));
        Assert.False(Match("groups.value eq \"abc\""));
    }
}
