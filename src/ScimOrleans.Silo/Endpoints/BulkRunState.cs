using System.Collections.Concurrent;
using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// One bulk request while it runs: the resource ids its POSTs created (by bulkId), the results so far, and whether
/// <c>failOnErrors</c> says to stop. Shared by the operations running concurrently.
/// </summary>
internal sealed class BulkRunState(
    IReadOnlyList<BulkOperationRequest> operations, BulkPlan plan, int? failOnErrors, string tenant, string tenantBase, CancellationToken aborted)
{
    private int errors;

    public IReadOnlyList<BulkOperationRequest> Operations { get; } = operations;

    public BulkPlan Plan { get; } = plan;

    public string Tenant { get; } = tenant;

    public string TenantBase { get; } = tenantBase;

    public CancellationToken Aborted { get; } = aborted;

    /// <summary>bulkId → id of the resource its POST created.</summary>
    public ConcurrentDictionary<string, string> Created { get; } = new(StringComparer.Ordinal);

    /// <summary>Operation index → its result.</summary>
    public ConcurrentDictionary<int, BulkOperationResult> Results { get; } = new();

    /// <summary>True once <c>failOnErrors</c> operations have failed: nothing further may start.</summary>
    public bool ShouldStop => failOnErrors is { } limit && Volatile.Read(ref errors) >= limit;

    public void Report(BulkOperationResult result)
    {
        Results[result.Index] = result;
        if (result.Error is not null)
        {
            Interlocked.Increment(ref errors);
        }
    }

    /// <summary>The id a bulkId stands for; a SCIM error when its POST failed, did not run, or does not exist.</summary>
    public string Resolve(string bulkId) => Created.TryGetValue(bulkId, out var id)
        ? id
        : Plan.Definitions.ContainsKey(bulkId)
            ? throw new ScimException(409, null, $"bulkId '{bulkId}' could not be resolved: the operation defining it failed or did not run.")
            : throw ScimException.InvalidValue($"bulkId '{bulkId}' is not defined by any POST of this request.");
}
