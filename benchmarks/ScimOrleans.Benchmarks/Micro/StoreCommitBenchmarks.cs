using BenchmarkDotNet.Attributes;
using ScimOrleans.Storage;
using ScimOrleans.Storage.Sqlite;

namespace ScimOrleans.Benchmarks.Micro;

/// <summary>
/// The SQLite store's write path alone, on a database file (WAL, synchronous=NORMAL, as embedded mode runs it):
/// one user create per transaction (row + one ~1 KB event), issued by one caller or by 32 at once. Every write goes
/// through the store's single writer connection, so the 32-caller figure is the store's ceiling for creates.
/// </summary>
[BenchmarkCategory("Micro")]
public class StoreCommitBenchmarks
{
    private const string Tenant = "bench";
    private const int Batch = 500;
    private string directory = "";
    private SqliteScimStore store = null!;
    private string eventJson = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        directory = Directory.CreateTempSubdirectory("scim-commit-").FullName;
        store = new SqliteScimStore(SqliteStoreOptions.ForFile(Path.Combine(directory, "scim.db")));
        await store.MigrateAsync();
        await store.CreateTenantAsync(Tenant, DateTimeOffset.UtcNow);
        eventJson = SampleData.StoredUser().ToJsonString();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await store.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task CreateOneCaller()
    {
        for (var i = 0; i < Batch; i++)
        {
            await store.CommitAsync(NewUser());
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task CreateThirtyTwoCallers() =>
        Parallel.ForEachAsync(Enumerable.Range(0, Batch), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, ct) => await store.CommitAsync(NewUser(), ct));

    private ResourceCommit NewUser()
    {
        var id = Guid.NewGuid().ToString("D");
        var userName = id + "@example.com";
        var now = DateTimeOffset.UtcNow;
        var row = new ResourceRow(Tenant, ResourceKind.User, id, 1,
            $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"{{id}}","userName":"{{userName}}","active":true,"displayName":"User","emails":[{"value":"{{userName}}","type":"work","primary":true}]}""",
            now, now, new IndexedAttributes(userName, null, "User", true, userName));
        return new ResourceCommit(Tenant, ResourceKind.User, id, CommitAction.Create, 0, row, true, null, false,
            [new EventDraft("user.created", ResourceKind.User, id, eventJson)]);
    }
}
