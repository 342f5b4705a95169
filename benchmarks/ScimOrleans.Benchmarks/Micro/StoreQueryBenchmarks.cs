using BenchmarkDotNet.Attributes;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage;
using ScimOrleans.Storage.Sqlite;

namespace ScimOrleans.Benchmarks.Micro;

/// <summary>
/// SQL translation and execution. The filter→SQL translator (<c>QuerySqlTranslator</c>) is internal to
/// ScimOrleans.Storage, so it is measured through <see cref="IScimStore.QueryAsync"/> on an in-memory SQLite store
/// (translation + COUNT(*) + page SELECT), plus <see cref="IScimStore.GetAsync"/> as the floor of one indexed read.
/// </summary>
[BenchmarkCategory("Micro")]
public class StoreQueryBenchmarks
{
    private const string Tenant = "bench";
    private SqliteScimStore store = null!;
    private string[] ids = [];
    private FilterNode userNameEq = null!;
    private FilterNode workEmailEq = null!;
    private FilterNode titleStartsWith = null!;
    private int next;

    [ParamsSource(nameof(UserCounts))]
    public int Users { get; set; }

    public static IEnumerable<int> UserCounts => !BenchmarkConfig.FullParams ? [10_000] : [10_000, 100_000];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        store = new SqliteScimStore(SqliteStoreOptions.ForSharedMemory("bench-" + Guid.NewGuid().ToString("N")));
        await store.MigrateAsync();
        await store.CreateTenantAsync(Tenant, DateTimeOffset.UtcNow);
        ids = await Seeding.SeedUsersAsync(store, Tenant, "q", Users);
        userNameEq = Bind($"userName eq \"{Seeding.UserName("q", Users / 2)}\"");
        workEmailEq = Bind($"emails[type eq \"work\" and value eq \"{Seeding.UserName("q", Users / 3)}\"]");
        titleStartsWith = Bind("title sw \"Eng\" and displayName eq \"User 17\"");
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await store.DisposeAsync();

    [Benchmark]
    public async Task<int> UserNameEq() =>
        (await store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, userNameEq, null, 1, 100))).TotalResults;

    [Benchmark]
    public async Task<int> EntraWorkEmailEq() =>
        (await store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, workEmailEq, null, 1, 100))).TotalResults;

    /// <summary>A filter on JSON attributes: a scan of the tenant.</summary>
    [Benchmark]
    public async Task<int> JsonAttributeScan() =>
        (await store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, titleStartsWith, null, 1, 100))).TotalResults;

    [Benchmark]
    public async Task<int> FirstPage() =>
        (await store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, null, null, 1, 100))).Rows.Count;

    /// <summary>The page in the middle of the tenant: OFFSET skips Users/2 rows.</summary>
    [Benchmark]
    public async Task<int> MiddlePage() =>
        (await store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, null, null, (Users / 2) + 1, 100))).Rows.Count;

    [Benchmark]
    public async Task<long> GetById() =>
        (await store.GetAsync(Tenant, ResourceKind.User, ids[next++ % ids.Length]))!.Version;

    private static FilterNode Bind(string filter) => FilterBinder.Bind(FilterParser.Parse(filter), ScimSchemas.UserResource);
}
