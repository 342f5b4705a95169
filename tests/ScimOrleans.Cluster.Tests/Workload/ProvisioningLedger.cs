using System.Collections.Concurrent;

namespace ScimOrleans.Cluster.Tests.Workload;

/// <summary>What the cluster acknowledged: the expected final state and the changes the event feed must show.</summary>
internal sealed class ProvisioningLedger
{
    public ConcurrentQueue<UserEntry> Users { get; } = new();

    public List<GroupEntry> Groups { get; } = [];

    /// <summary>Retried creates that got 409 because the lost attempt had been committed (verified to be that attempt).</summary>
    public int RetriedCreatesFoundCommitted;

    /// <summary>Retried creates that got 201: the lost attempt had not been committed.</summary>
    public int RetriedCreatesCommittedOnRetry;

    /// <summary>Retried deletes that got 404 because the lost attempt had been committed.</summary>
    public int RetriedDeletesFoundCommitted;

    /// <summary>Writes of any kind where an attempt had an unknown outcome and was retried.</summary>
    public int UncertainWrites;

    public IEnumerable<UserEntry> LiveUsers => Users.Where(u => !u.Deleted);

    public string Summary() =>
        $"{Users.Count} users ({Users.Count(u => u.Deleted)} deleted), {Groups.Count} groups; {UncertainWrites} writes retried after an unknown outcome: " +
        $"{RetriedCreatesFoundCommitted} creates found committed (409 → same content), {RetriedCreatesCommittedOnRetry} creates committed on retry, " +
        $"{RetriedDeletesFoundCommitted} deletes found committed (404)";

    /// <summary>A user the test provisioned; fields are set only once the cluster acknowledged the step.</summary>
    public sealed class UserEntry(string userName, string externalId)
    {
        public string UserName { get; } = userName;

        public string ExternalId { get; } = externalId;

        public string? Id { get; set; }

        public string? Title { get; set; }

        public string? GroupId { get; set; }

        public bool Deleted { get; set; }
    }

    public sealed record GroupEntry(string Id, string DisplayName);
}
