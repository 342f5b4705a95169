using System.Text;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Filtering;

/// <summary>
/// The parser faces raw query strings, so any input must end in a parsed filter or a ScimException, never in
/// another exception (which the host would turn into a 500).
/// </summary>
public sealed class FilterParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "userName eq \"bjensen\"",
        "emails[type eq \"work\"].value eq \"x@y.z\"",
        "name.familyName co \"O'Malley\" and not (title pr) or active eq true",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m:1]\"",
        "meta.lastModified gt \"2011-05-13T04:42:34Z\" and meta.created le \"2020-01-01\"",
        "(a eq 1.5e3 or b lt -2) and c[d ne null and e sw \"\\u0041\\\"\"]",
        "members[value eq \"a\" or value eq \"b\"]",
    ];

    private const string Alphabet = "abcdeqnotrprsw ()[]\".\\:,-_$0123456789eE+ \t\u00e9\u0000{}'";

    [Fact]
    public void Random_strings_only_ever_throw_scim_exceptions()
    {
        var random = new Random(20260522);
        for (var i = 0; i < 5000; i++)
        {
            var length = random.Next(0, 60);
            var builder = new StringBuilder(length);
            for (var j = 0; j < length; j++)
            {
                builder.Append(random.Next(10) == 0 ? (char)random.Next(0, 0x3000) : Alphabet[random.Next(Alphabet.Length)]);
            }

            AssertOnlyScimExceptions(builder.ToString());
        }
    }

    [Fact]
    public void Mutations_of_valid_filters_only_ever_throw_scim_exceptions()
    {
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var text = new StringBuilder(Seeds[random.Next(Seeds.Length)]);
            var mutations = random.Next(1, 5);
            for (var m = 0; m < mutations && text.Length > 0; m++)
            {
                var position = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0:
                        text.Remove(position, 1);
                        break;
                    case 1:
                        text.Insert(position, Alphabet[random.Next(Alphabet.Length)]);
                        break;
                    case 2:
                        text[position] = Alphabet[random.Next(Alphabet.Length)];
                        break;
                    default:
                        var cut = random.Next(position, text.Length + 1);
                        text.Length = cut;
                        break;
                }
            }

            AssertOnlyScimExceptions(text.ToString());
        }
    }

    [Fact]
    public void Pathological_inputs_only_ever_throw_scim_exceptions()
    {
        string[] inputs =
        [
            new string('[', 10_000),
            new string('"', 9_999),
            string.Concat(Enumerable.Repeat("a[", 500)),
            string.Concat(Enumerable.Repeat("not(", 500)),
            "a eq \"\\",
            "a eq \"\\u",
            "a eq \"\\uZZZZ\"",
            "a eq 99999999999999999999999999999999999999",
            "a eq -",
            "a eq 1.",
            "]",
            ")",
            ".value eq 1",
            "a[b eq 1].",
            "a[b eq 1].c",
            "urn:::: eq 1",
            "\0",
        ];
        foreach (var input in inputs)
        {
            AssertOnlyScimExceptions(input);
        }
    }

    private static void AssertOnlyScimExceptions(string filter)
    {
        try
        {
            var node = FilterParser.Parse(filter);
            Assert.NotNull(node);
            // Whatever parses must also bind and evaluate without surprises.
            try
            {
                var bound = FilterBinder.Bind(node, ScimSchemas.UserResource);
                FilterEvaluator.Matches(bound, TestJson.Obj("""{"userName":"a","emails":[{"value":"x","type":"work"}]}"""), ScimSchemas.UserResource);
            }
            catch (ScimException ex)
            {
                Assert.Equal(ScimTypes.InvalidFilter, ex.ScimType);
            }
        }
        catch (ScimException ex)
        {
            Assert.Equal(400, ex.Status);
            Assert.Equal(ScimTypes.InvalidFilter, ex.ScimType);
            Assert.False(string.IsNullOrWhiteSpace(ex.Detail));
        }
        catch (Exception ex)
        {
            Assert.Fail($"Filter {System.Text.Json.JsonSerializer.Serialize(filter)} threw {ex.GetType().Name}: {ex.Message}");
        }
    }
}
