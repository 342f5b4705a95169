using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace ScimOrleans.Benchmarks.Macro;

/// <summary>
/// Reads in a tenant of <see cref="Users"/> users over HTTP: <c>filter=userName eq</c> lookups (32 concurrent callers)
/// and a full <c>startIndex</c>/<c>count=100</c> page walk (pages spread over 32 callers; one operation = one whole
/// walk, so resources/s = Users × ops/s). Users are seeded through the store.
/// </summary>
[BenchmarkCategory("Macro")]
[InvocationCount(1)]
public class LargeTenantReadBenchmarks
{
    private const int Lookups = 500;
    private const int Concurrency = 32;
    private MacroHost host = null!;
    private int invocation;

    [ParamsSource(nameof(UserCounts))]
    public int Users { get; set; }

    public static IEnumerable<int> UserCounts => !BenchmarkConfig.FullParams ? [10_000] : [100_000];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        host = await MacroHost.StartAsync();
        await Seeding.SeedUsersAsync(host.Store, MacroHost.Tenant, "r", Users);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await host.DisposeAsync();

    [Benchmark(OperationsPerInvoke = Lookups)]
    public Task UserNameEqLookup()
    {
        var round = Interlocked.Increment(ref invocation);
        return MacroHost.RunConcurrentlyAsync(Lookups, Concurrency, async i =>
        {
            var userName = Seeding.UserName("r", (int)((uint)((i + (round * Lookups)) * 2_654_435_761u) % (uint)Users));
            var path = "Users?filter=" + Uri.EscapeDataString($"userName eq \"{userName}\"");
            using var response = await host.SendAsync(HttpMethod.Get, path, null, HttpStatusCode.OK);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            if (document.RootElement.GetProperty("totalResults").GetInt32() != 1)
            {
                throw new InvalidOperationException($"{userName} not found.");
            }
        });
    }

    [Benchmark]
    public Task FullPageWalk()
    {
        var pages = (Users + 99) / 100;
        return MacroHost.RunConcurrentlyAsync(pages, Concurrency, async p =>
        {
            using var response = await host.SendAsync(HttpMethod.Get, $"Users?startIndex={(p * 100) + 1}&count=100", null, HttpStatusCode.OK);
        });
    }
}
