using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using ScimOrleans.Grains.Abstractions.Resources;

namespace ScimOrleans.Benchmarks.Macro;

/// <summary>
/// Adding members over HTTP to a group that already holds <see cref="Members"/> members, one member per PATCH and
/// 100 per PATCH, 32 concurrent callers on the one group. After each iteration the added members are removed again
/// (one PATCH removing them by value array), so every iteration starts from the same group size.
/// Setup seeds the users through the store and fills the group with 1,000-member PATCHes.
/// </summary>
[BenchmarkCategory("Macro")]
[InvocationCount(1)]
public class GroupMembershipBenchmarks
{
    private const int SinglePatches = 200;
    private const int HundredPatches = 20;
    private const int Concurrency = 32;
    private const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private MacroHost host = null!;
    private string groupId = "";
    private string[] pool = [];

    [ParamsSource(nameof(MemberCounts))]
    public int Members { get; set; }

    public static IEnumerable<int> MemberCounts => !BenchmarkConfig.FullParams ? [1_000, 10_000] : [1_000, 10_000, 100_000];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        host = await MacroHost.StartAsync();
        var members = await Seeding.SeedUsersAsync(host.Store, MacroHost.Tenant, "m", Members);
        pool = await Seeding.SeedUsersAsync(host.Store, MacroHost.Tenant, "p", HundredPatches * 100);
        using (var created = await host.SendAsync(HttpMethod.Post, "Groups",
            """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Big group"}""", HttpStatusCode.Created))
        {
            groupId = created.Headers.Location!.OriginalString[(created.Headers.Location.OriginalString.LastIndexOf('/') + 1)..];
        }

        foreach (var chunk in members.Chunk(1000))
        {
            await Patch(MembersOp("add", chunk));
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await host.DisposeAsync();

    [IterationCleanup]
    public void RemoveAdded() => Patch(MembersOp("remove", pool)).GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = SinglePatches)]
    public Task AddOneMemberPerPatch() =>
        MacroHost.RunConcurrentlyAsync(SinglePatches, Concurrency, i => Patch(MembersOp("add", [pool[i]])));

    [Benchmark(OperationsPerInvoke = HundredPatches)]
    public Task AddHundredMembersPerPatch() =>
        MacroHost.RunConcurrentlyAsync(HundredPatches, Concurrency, i => Patch(MembersOp("add", pool.AsSpan(i * 100, 100).ToArray())));

    private async Task Patch(string body)
    {
        using var response = await host.SendAsync(HttpMethod.Patch, "Groups/" + groupId, body, HttpStatusCode.NoContent);
    }

    private static string MembersOp(string op, IEnumerable<string> ids)
    {
        var body = new StringBuilder();
        body.Append("{\"schemas\":[\"").Append(PatchOp).Append("\"],\"Operations\":[{\"op\":\"").Append(op).Append("\",\"path\":\"members\",\"value\":[");
        var first = true;
        foreach (var id in ids)
        {
            body.Append(first ? "" : ",").Append("{\"value\":\"").Append(id).Append("\"}");
            first = false;
        }

        return body.Append("]}]}").ToString();
    }
}
