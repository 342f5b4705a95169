using System.Net;
using BenchmarkDotNet.Attributes;
using ScimOrleans.Grains.Abstractions.Resources;

namespace ScimOrleans.Benchmarks.Macro;

/// <summary>
/// Creating users in an in-process silo with its real SQLite store: straight through the user grains, and through
/// single HTTP POSTs on loopback; 32 concurrent callers, <see cref="Batch"/> users per invocation.
/// (Creating through /Bulk is not measured: the endpoint does not exist yet.)
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
}
