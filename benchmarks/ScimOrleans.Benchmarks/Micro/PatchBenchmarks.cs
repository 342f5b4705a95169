using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ScimOrleans.Protocol.Patching;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Benchmarks.Micro;

/// <summary>
/// PatchEngine.Apply on Entra and Okta shapes, as the grain runs it: the body is parsed from text
/// (<c>ParseAndApply</c>) or already parsed (<c>Apply</c>).
/// </summary>
[BenchmarkCategory("Micro")]
public class PatchBenchmarks
{
    private JsonObject current = null!;
    private JsonObject request = null!;
    private ResourceSchema schema = null!;

    [Params("entraDeactivate", "entraUpdate", "oktaDeactivate", "oktaProfile", "entraAddMember", "entraRemoveMember", "oktaAdd100Members")]
    public string Shape { get; set; } = "entraDeactivate";

    private string Body => Shape switch
    {
        "entraDeactivate" => SampleData.EntraDeactivate,
        "entraUpdate" => SampleData.EntraUpdate,
        "oktaDeactivate" => SampleData.OktaDeactivate,
        "oktaProfile" => SampleData.OktaProfile,
        "entraAddMember" => SampleData.EntraAddMember,
        "entraRemoveMember" => SampleData.EntraRemoveMember,
        _ => SampleData.OktaAddHundredMembers,
    };

    [GlobalSetup]
    public void Setup()
    {
        var isGroup = Shape.Contains("Member", StringComparison.Ordinal);
        schema = isGroup ? ScimSchemas.GroupResource : ScimSchemas.UserResource;
        current = isGroup ? ScimJson.ParseObject(SampleData.GroupStored) : SampleData.StoredUser();
        request = ScimJson.ParseObject(Body);
    }

    [Benchmark]
    public WriteOutcome Apply() => PatchEngine.Apply(schema, current, request);

    [Benchmark]
    public WriteOutcome ParseAndApply() => PatchEngine.Apply(schema, current, ScimJson.ParseObject(Body));
}
