using BenchmarkDotNet.Attributes;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Benchmarks.Micro;

/// <summary>What a create costs in the protocol layer: parse the body, validate and normalise it, serialise the stored form.</summary>
[BenchmarkCategory("Micro")]
public class ResourceWriterBenchmarks
{
    [Benchmark]
    public int ParseBody() => ScimJson.ParseObject(SampleData.UserBody).Count;

    [Benchmark]
    public string PrepareCreateAndSerialize()
    {
        var outcome = ResourceWriter.PrepareCreate(ScimSchemas.UserResource, ScimJson.ParseObject(SampleData.UserBody));
        return outcome.Resource.ToJsonString();
    }
}
