using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ScimOrleans.LoadTest.Driver;
using ScimOrleans.LoadTest.Reporting;
using ScimOrleans.LoadTest.Targets;

namespace ScimOrleans.LoadTest.Workloads;

/// <summary>
/// The measured life of one tenant, phase by phase, identical for every target:
/// <list type="number">
/// <item><c>create-user</c>: N single POSTs.</item>
/// <item><c>sync-user</c>: the IdP day-one shape for N/10 more users: <c>filter=userName eq</c> (a miss), then POST.</item>
/// <item><c>create-group</c>: G groups, plus a "small" and a "big" group.</item>
/// <item><c>add-member-1</c>: N PATCHes adding one member each, user i to group i mod G.</item>
/// <item><c>fill-small-group</c> / <c>add-member-100</c>: 100 members per PATCH into one group (small: 1,000 members; big: N − R).</item>
/// <item><c>group-add-1@1k</c> / <c>group-add-1@big</c>: R/2 single-member PATCHes each into the small and the big group
/// (all clients on one group: the IdP pushing members into one large group).</item>
/// <item><c>get-by-id</c>, <c>lookup</c> (userName eq, a hit): max(N, 100,000) each (or <c>--reads</c>) over random
/// users; <c>patch-mix</c> (Entra Replace title / name.familyName, Okta path-less replace displayName): N.</item>
/// <item><c>page-walk</c>: startIndex/count=100 pages over every user, pages spread over the clients.</item>
/// <item><c>deactivate</c>: Entra's <c>Replace active "False"</c> for every other user (each in its ordinary group and the big or small one).</item>
/// <item><c>bulk-create</c>, last: max(N, 30,000) more users through <c>POST /Bulk</c>, <c>--bulk-size</c> creates per
/// request (targets that answer /Bulk only: the ceiling apps skip it); compared with this target's own
/// <c>create-user</c>, in users/s.</item>
/// </list>
/// R = min(2000, N/5) users are held back from the groups so the single-member adds add real members.
/// </summary>
internal sealed class Scenario(LoadOptions options, ILoadTarget target, PhaseTurns? turns = null, int turn = 0)
{
    private const string PatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private readonly string tag = Guid.NewGuid().ToString("N")[..6];

    public async Task<TargetResult> RunAsync(CancellationToken cancellationToken)
    {
        using var runDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        runDeadline.CancelAfter(options.RunLimit);
        var runner = new PhaseRunner(options.Concurrency, options.Progress && !Console.IsErrorRedirected);
        using var http = new ScimHttp(target.ScimBase, target.Token, options.Concurrency);
        var result = new TargetResult { Target = target.Name, Description = target.Description, InProcess = target.InProcess };
        var started = Stopwatch.GetTimestamp();

        var n = options.Users;
        var k = Math.Max(n / 10, 100);
        var reserve = Math.Min(2000, n / 5);
        var userIds = new string?[n + k];
        var groupIds = new string?[options.Groups];
        string? smallGroup = null;
        string? bigGroup = null;

        var phaseNumber = 0;
        async Task Phase(string name, int count, Func<int, PhaseContext, Task> item, int? concurrency = null)
        {
            if (turns is not null)
            {
                await turns.WaitAsync(turn, phaseNumber++, cancellationToken);
            }

            try
            {
                if (!options.Runs(name) || runDeadline.IsCancellationRequested || count <= 0)
                {
                    return;
                }

                if (name == BulkPhase && !target.SupportsBulk)
                {
                    Console.WriteLine($"  {(turns is null ? "" : $"{target.Name,-8}  ")}{name,-18} skipped: {target.Name} does not answer POST /Bulk");
                    return;
                }

                var remaining = options.RunLimit - Stopwatch.GetElapsedTime(started);
                var limit = remaining < options.PhaseLimit ? remaining : options.PhaseLimit;
                var cacheBefore = target.GroupsCacheCounts();
                var phase = await runner.RunAsync(name, count, limit, item, runDeadline.Token, concurrency);
                if (cacheBefore is { } before && target.GroupsCacheCounts() is { } after)
                {
                    phase = phase with { GroupsCache = new GroupsCacheSample(after.Hits - before.Hits, after.Misses - before.Misses) };
                }

                result.Phases.Add(phase);
                ConsoleReport.PrintPhase(phase, turns is null ? null : target.Name);
            }
            finally
            {
                turns?.Done(turn);
            }
        }

        // 0. Warm-up (JIT, connection pools, caches) on users of its own; reported, never compared.
        var warmUsers = Math.Min(500, n / 10);
        await Phase("warmup", warmUsers, async (i, context) =>
        {
            var index = 90_000_000 + i;
            var reply = await http.SendAsync(context, "warm-create", HttpMethod.Post, "Users", UserBody(index), 201);
            await http.SendAsync(context, "warm-lookup", HttpMethod.Get, FilterPath(UserName(index)), null, 200);
            if (reply.Ok && reply.CreatedId is { } id)
            {
                await http.SendAsync(context, "warm-get", HttpMethod.Get, "Users/" + id, null, 200);
                await http.SendAsync(context, "warm-patch", HttpMethod.Patch, "Users/" + id, PatchMixBody(i), 200);
            }

            // The /Bulk path warms up too, so bulk-create is not measured half in unoptimised (tier-0) code while
            // create-user, after thousands of requests, is not.
            if (target.SupportsBulk && options.Runs(BulkPhase) && i < WarmBulkRequests)
            {
                await http.SendAsync(context, "warm-bulk", HttpMethod.Post, "Bulk", BulkCreateBody(WarmBulkBase + i * WarmBulkSize, WarmBulkSize), 200);
            }
        });

        // 1. Pure creates.
        await Phase("create-user", n, async (i, context) =>
        {
            var reply = await http.SendAsync(context, "create-user", HttpMethod.Post, "Users", UserBody(i), 201);
            userIds[i] = reply.Ok ? reply.CreatedId : null;
        });

        // 2. Day-one sync: look the user up first, create it when absent.
        await Phase("sync-user", k, async (j, context) =>
        {
            var i = n + j;
            var lookup = await http.SendAsync(context, "sync-filter", HttpMethod.Get, FilterPath(UserName(i)), null, 200);
            if (lookup.Ok && TotalResults(lookup.Body) == 0)
            {
                var reply = await http.SendAsync(context, "sync-create", HttpMethod.Post, "Users", UserBody(i), 201);
                userIds[i] = reply.Ok ? reply.CreatedId : null;
            }
        });

        // 3. Groups: G ordinary ones, then the small and the big group.
        await Phase("create-group", options.Groups + 2, async (g, context) =>
        {
            var name = g < options.Groups ? $"Group {g} {tag}" : g == options.Groups ? $"Small group {tag}" : $"Big group {tag}";
            var reply = await http.SendAsync(context, "create-group", HttpMethod.Post, "Groups", GroupBody(name), 201);
            var id = reply.Ok ? reply.CreatedId : null;
            if (g < options.Groups)
            {
                groupIds[g] = id;
            }
            else if (g == options.Groups)
            {
                smallGroup = id;
            }
            else
            {
                bigGroup = id;
            }
        });

        // 4. One member per PATCH, spread over the ordinary groups.
        await Phase("add-member-1", n, async (i, context) =>
        {
            if (userIds[i] is { } user && groupIds[i % groupIds.Length] is { } group)
            {
                await http.SendAsync(context, "add-member-1", HttpMethod.Patch, "Groups/" + group, AddMembersBody([user]), 204);
            }
        });

        // 5. 100 members per PATCH into one group: the small group gets 1,000, the big one everything but the reserve.
        var smallSize = Math.Min(1000, n - reserve);
        await Phase("fill-small-group", smallSize / 100, async (b, context) =>
        {
            if (smallGroup is { } group)
            {
                var members = Slice(userIds, b * 100, 100);
                await http.SendAsync(context, "add-member-100", HttpMethod.Patch, "Groups/" + group, AddMembersBody(members), 204);
                context.AddUnits(members.Count);
            }
        });
        await Phase("add-member-100", (n - reserve) / 100, async (b, context) =>
        {
            if (bigGroup is { } group)
            {
                var members = Slice(userIds, b * 100, 100);
                await http.SendAsync(context, "add-member-100", HttpMethod.Patch, "Groups/" + group, AddMembersBody(members), 204);
                context.AddUnits(members.Count);
            }
        });

        // 6. Single-member adds into one group of ~1k members and one of ~N members.
        var half = reserve / 2;
        await Phase("group-add-1@1k", half, async (j, context) =>
        {
            if (smallGroup is { } group && userIds[n - reserve + j] is { } user)
            {
                await http.SendAsync(context, "group-add-1", HttpMethod.Patch, "Groups/" + group, AddMembersBody([user]), 204);
            }
        });
        await Phase("group-add-1@big", half, async (j, context) =>
        {
            if (bigGroup is { } group && userIds[n - reserve + half + j] is { } user)
            {
                await http.SendAsync(context, "group-add-1", HttpMethod.Patch, "Groups/" + group, AddMembersBody([user]), 204);
            }
        });

        var known = userIds.Select((id, index) => (id, index)).Where(x => x.id is not null).ToArray();
        if (known.Length == 0)
        {
            await BulkCreateAsync();
            return result;
        }

        // 7. Reads and steady incremental traffic over random users.
        // A read phase lasts seconds, not a fraction of one: 10k GETs take 0.2 s on the memory ceiling, which measures
        // thread-pool ramp-up and bursts rather than sustained throughput (its GETs/s fell from ~55k to ~33k when the
        // phase ran 200k requests).
        var reads = options.Reads ?? Math.Max(n, MinimumReads);
        if (options.ColdReads)
        {
            await target.CollectIdleGrainsAsync();
        }

        await Phase("get-by-id", reads, async (i, context) =>
        {
            var (id, _) = known[Pick(i, known.Length)];
            await http.SendAsync(context, "get-by-id", HttpMethod.Get, "Users/" + id, null, 200);
        });
        await Phase("lookup", reads, async (i, context) =>
        {
            var (_, index) = known[Pick(i + 7919, known.Length)];
            var reply = await http.SendAsync(context, "lookup", HttpMethod.Get, FilterPath(UserName(index)), null, 200);
            if (reply.Ok && TotalResults(reply.Body) != 1)
            {
                context.Fail("lookup", $"userName eq {UserName(index)} found {TotalResults(reply.Body)} resources");
            }
        });
        await Phase("patch-mix", n, async (i, context) =>
        {
            var (id, _) = known[Pick(i + 104_729, known.Length)];
            await http.SendAsync(context, "patch-mix", HttpMethod.Patch, "Users/" + id, PatchMixBody(i), 200);
        });

        // 8. A full page walk, pages spread over the clients.
        var pages = (known.Length + 99) / 100;
        await Phase("page-walk", pages, async (p, context) =>
        {
            var reply = await http.SendAsync(context, "page", HttpMethod.Get, $"Users?startIndex={(p * 100) + 1}&count=100", null, 200);
            if (reply.Ok)
            {
                context.AddUnits(ItemsPerPage(reply.Body));
            }
        });

        if (target.InProcess && turns is null)
        {
            result.ProvisionedMemory = MemorySampler.Settled();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  memory with {known.Length} users provisioned (after full GC): working set {result.ProvisionedMemory.EndWorkingSetBytes / 1048576.0:F0} MiB, GC heap {result.ProvisionedMemory.EndGcHeapBytes / 1048576.0:F0} MiB"));
        }

        // 9. Deactivation wave: every other user, each exactly once.
        var deactivations = known.Where(x => x.index % 2 == 0).Select(x => x.id!).ToArray();
        await Phase("deactivate", deactivations.Length, async (i, context) =>
            await http.SendAsync(context, "deactivate", HttpMethod.Patch, "Users/" + deactivations[i], DeactivateBody, 200));

        await BulkCreateAsync();
        result.Users = known.Length;
        return result;

        async Task BulkCreateAsync()
        {
            // 10. Creates through POST /Bulk, --bulk-size per request, users of their own. Last, so that they change neither
            // the tenant nor the memory figure of any other phase. One item = one /Bulk request; units = users the server
            // answered 201 for; compared with this target's own create-user.
            // At least MinimumBulkUsers: ten /Bulk requests over four connections (10k users) measured ramp-up and the last
            // half-empty wave more than throughput.
            var bulkSize = options.BulkSize;
            var bulkUsers = Math.Max(n, MinimumBulkUsers);
            await Phase(BulkPhase, (bulkUsers + bulkSize - 1) / bulkSize, async (b, context) =>
            {
                var first = b * bulkSize;
                var size = Math.Min(bulkSize, bulkUsers - first);
                var reply = await http.SendAsync(context, BulkPhase, HttpMethod.Post, "Bulk", BulkCreateBody(first, size), 200);
                if (reply.Ok)
                {
                    context.AddUnits(CountBulkCreated(reply.Body, size, context));
                }
            }, Math.Min(options.BulkConcurrency, options.Concurrency));
        }
    }

    public const string BulkPhase = "bulk-create";

    /// <summary>Users of the bulk-create phase are numbered from here, apart from the others (0 … N + N/10, warm-up 90M).</summary>
    private const int BulkUserBase = 50_000_000;

    /// <summary>Warm-up /Bulk requests (of <see cref="WarmBulkSize"/> creates each, users of their own).</summary>
    private const int WarmBulkRequests = 12;
    private const int WarmBulkSize = 50;

    /// <summary>Warm-up bulk users are numbered from here (plus <see cref="BulkUserBase"/>: 95M on), clear of all others.</summary>
    private const int WarmBulkBase = 45_000_000;

    private string BulkCreateBody(int first, int size)
    {
        var body = new StringBuilder(size * 640);
        body.Append("""{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":1000000,"Operations":[""");
        for (var j = 0; j < size; j++)
        {
            var i = BulkUserBase + first + j;
            if (j > 0)
            {
                body.Append(',');
            }

            body.Append(CultureInfo.InvariantCulture, $$"""{"method":"POST","path":"/Users","bulkId":"b{{i}}","data":{{UserBody(i)}}}""");
        }

        return body.Append("]}").ToString();
    }

    /// <summary>Operations answered 201; the first other answer is recorded as the phase's error sample.</summary>
    private static int CountBulkCreated(string body, int expected, PhaseContext context)
    {
        using var document = JsonDocument.Parse(body);
        var created = 0;
        string? failure = null;
        foreach (var operation in document.RootElement.GetProperty("Operations").EnumerateArray())
        {
            if (operation.GetProperty("status").GetString() == "201")
            {
                created++;
            }
            else
            {
                failure ??= operation.GetRawText();
            }
        }

        if (created < expected)
        {
            context.Fail(BulkPhase, $"{created}/{expected} created; first failure: {failure ?? "(operations missing from the response)"}");
        }

        return created;
    }

    private string UserName(int i) => $"u{i:D7}.{tag}@example.com";

    private string UserBody(int i) => $$$"""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"{{{UserName(i)}}}","externalId":"ext-{{{i}}}-{{{tag}}}","active":true,"displayName":"User {{{i}}}","name":{"givenName":"Given{{{i}}}","familyName":"Family{{{i}}}","formatted":"Given{{{i}}} Family{{{i}}}"},"emails":[{"value":"{{{UserName(i)}}}","type":"work","primary":true}],"title":"Engineer","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D","employeeNumber":"{{{i}}}"}}
        """;

    private static string GroupBody(string displayName) =>
        $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{displayName}}"}""";

    private static string AddMembersBody(IReadOnlyList<string> members) =>
        $$"""{"schemas":["{{PatchOpSchema}}"],"Operations":[{"op":"Add","path":"members","value":[{{string.Join(',', members.Select(m => $$"""{"value":"{{m}}"}"""))}}]}]}""";

    private static string PatchMixBody(int i) => (i % 10) switch
    {
        < 4 => $$"""{"schemas":["{{PatchOpSchema}}"],"Operations":[{"op":"Replace","path":"title","value":"Title {{i}}"}]}""",
        < 7 => $$"""{"schemas":["{{PatchOpSchema}}"],"Operations":[{"op":"Replace","path":"name.familyName","value":"Family {{i}}"}]}""",
        _ => $$$"""{"schemas":["{{{PatchOpSchema}}}"],"Operations":[{"op":"replace","value":{"displayName":"Display {{{i}}}"}}]}""",
    };

    private const string DeactivateBody =
        $$"""{"schemas":["{{PatchOpSchema}}"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""";

    private static string FilterPath(string userName) => "Users?filter=" + Uri.EscapeDataString($"userName eq \"{userName}\"");

    private static List<string> Slice(string?[] ids, int start, int count) =>
        ids.Skip(start).Take(count).Where(id => id is not null).Select(id => id!).ToList();

    private const int MinimumReads = 100_000;

    private const int MinimumBulkUsers = 30_000;

    /// <summary>A deterministic spread of item indexes over [0, n): the same "random" sequence for every target.</summary>
    private static int Pick(int i, int n) => (int)((uint)(i * 2_654_435_761u) % (uint)n);

    private static int TotalResults(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("totalResults").GetInt32();
    }

    private static int ItemsPerPage(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("Resources").GetArrayLength();
    }
}
