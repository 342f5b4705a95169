using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ScimOrleans.Grains.Abstractions.Resources;

namespace ScimOrleans.Benchmarks.Macro;

/// <summary>
/// Creating users in an in-process silo with its real SQLite store: straight through the user grains, and through
/// single HTTP POSTs on loopback (32 concurrent callers), and through one <c>POST /Bulk</c> of <see cref="Batch"/>
/// creates (run by the server with <c>Scim:BulkParallelism</c>, default 8); <see cref="Batch"/> users per invocation.
/// </summary>
[BenchmarkCategory("Macro")]
[InvocationCount(1)]
public class CreateUserBenchmarks
{
    public const int Batch = 1000;
    private const int Concurrency = 32;
    private MacroHost host = null!;
    private int invocation;

    [GlobalSetup]
    public async Task SetupAsync() => host = await MacroHost.StartAsync();

    [GlobalCleanup]
    public async Task CleanupAsync() => await host.DisposeAsync();

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task ThroughGrains()
    {
        var prefix = $"g{Interlocked.Increment(ref invocation)}x";
        await MacroHost.RunConcurrentlyAsync(Batch, Concurrency, async i =>
        {
            var grain = host.Grains.GetGrain<IUserGrain>(ResourceKeys.User(MacroHost.Tenant, Guid.NewGuid().ToString("D")));
            var result = await grain.Create(Seeding.UserBody(prefix, i));
            if (result.Error is { } error)
            {
                throw new InvalidOperationException(error.Detail);
            }
        });
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task ThroughHttp()
    {
        var prefix = $"h{Interlocked.Increment(ref invocation)}x";
        await MacroHost.RunConcurrentlyAsync(Batch, Concurrency, async i =>
        {
            using var response = await host.SendAsync(HttpMethod.Post, "Users", Seeding.UserBody(prefix, i), HttpStatusCode.Created);
        });
    }

    /// <summary>
    /// The same <see cref="Batch"/> users in one <c>POST /Bulk</c> (~0.45 MB here; the host allows 16 MiB bodies, see
    /// <see cref="MacroHost"/>); every operation must answer 201.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task ThroughHttpBulk()
    {
        var prefix = $"b{Interlocked.Increment(ref invocation)}x";
        var body = new StringBuilder(Batch * 512);
        body.Append("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":1000000,"Operations":[""");
        for (var i = 0; i < Batch; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"method":"POST","path":"/Users","bulkId":"b{{i}}","data":{{Seeding.UserBody(prefix, i)}}}""");
        }

        body.Append("]}");
        using var response = await host.SendAsync(HttpMethod.Post, "Bulk", body.ToString(), HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var created = document.RootElement.GetProperty("Operations").EnumerateArray().Count(o => o.GetProperty("status").GetString() == "201");
        if (created != Batch)
        {
            throw new InvalidOperationException($"/Bulk created {created} of {Batch} users.");
        }
    }
}
