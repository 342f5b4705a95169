using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Benchmarks.Micro;

/// <summary>Filter parse, bind and in-memory evaluation (FilterParser, FilterBinder, FilterEvaluator).</summary>
[BenchmarkCategory("Micro")]
public class FilterBenchmarks
{
    private FilterNode boundFilter = null!;
    private JsonObject user = null!;

    [Params("userNameEq", "entraWorkEmail", "complex")]
    public string Filter { get; set; } = "userNameEq";

    private string Text => Filter switch
    {
        "userNameEq" => SampleData.UserNameEq,
        "entraWorkEmail" => SampleData.EntraWorkEmail,
        _ => SampleData.Complex,
    };

    [GlobalSetup]
    public void Setup()
    {
        boundFilter = FilterBinder.Bind(FilterParser.Parse(Text), ScimSchemas.UserResource);
        user = SampleData.StoredUser();
        user["meta"] = new JsonObject { ["lastModified"] = "2024-05-01T10:00:00Z", ["created"] = "2024-05-01T10:00:00Z" };
    }

    [Benchmark]
    public FilterNode Parse() => FilterParser.Parse(Text);

    [Benchmark]
    public FilterNode ParseAndBind() => FilterBinder.Bind(FilterParser.Parse(Text), ScimSchemas.UserResource);

    [Benchmark]
    public bool Evaluate() => FilterEvaluator.Matches(boundFilter, user, ScimSchemas.UserResource);
}
