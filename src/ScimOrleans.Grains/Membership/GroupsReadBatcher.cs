using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Membership;

/// <summary>
/// Reads the groups of users whose cached groups were missing, several users per store query: misses that arrive while
/// earlier ones are being read (the first GETs after a membership change, from many clients at once) are read together
/// by one walk seeded with all their ids (<see cref="IScimStore.GetGroupsOfMembersAsync"/>) — one round trip instead
/// of one each in cluster mode.
/// </summary>
/// <remarks>
/// No timer: a miss is read at once while fewer than <see cref="MaxInFlight"/> reads are under way; otherwise it joins
/// the next read of its tenant. Every read happens after its callers asked, so the cache's rule (a result read after
/// the stamp was taken) holds for each of them.
/// </remarks>
internal sealed class GroupsReadBatcher(IScimStore store)
{
    /// <summary>Reads under way at the same time.</summary>
    public const int MaxInFlight = 4;

    /// <summary>Users per read; more wait for the next.</summary>
    public const int MaxBatch = 100;

    private readonly Lock gate = new();
    private readonly Dictionary<string, List<Waiter>> waiting = new(StringComparer.Ordinal);
    private int inFlight;

    /// <summary>The groups of <paramref name="userId"/>, read from the store together with other users' waiting now.</summary>
    public Task<IReadOnlyList<GroupMembershipEntry>> GetAsync(string tenantId, string userId)
    {
        var waiter = new Waiter(userId, new TaskCompletionSource<IReadOnlyList<GroupMembershipEntry>>(TaskCreationOptions.RunContinuationsAsynchronously));
        var startReader = false;
        lock (gate)
        {
            if (!waiting.TryGetValue(tenantId, out var list))
            {
                waiting[tenantId] = list = [];
            }

            list.Add(waiter);
            if (inFlight < MaxInFlight)
            {
                inFlight++;
                startReader = true;
            }
        }

        if (startReader)
        {
            // On the thread pool, not on the calling grain's or request's context: the reader serves many callers.
            _ = Task.Run(ReadWhileWaitingAsync);
        }

        return waiter.Groups.Task;
    }

    private async Task ReadWhileWaitingAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                var groups = await store.GetGroupsOfMembersAsync(batch.TenantId, [.. batch.Waiters.Select(w => w.UserId).Distinct(StringComparer.Ordinal)]);
                foreach (var waiter in batch.Waiters)
                {
                    waiter.Groups.TrySetResult(groups.GetValueOrDefault(waiter.UserId) ?? []);
                }
            }
            catch (Exception error)
            {
                // Each caller fails as its own read would have.
                foreach (var waiter in batch.Waiters)
                {
                    waiter.Groups.TrySetException(error);
                }
            }
        }
    }

    private (string TenantId, List<Waiter> Waiters)? TakeBatch()
    {
        lock (gate)
        {
            foreach (var (tenantId, list) in waiting)
            {
                if (list.Count <= MaxBatch)
                {
                    waiting.Remove(tenantId);
                    return (tenantId, list);
                }

                var taken = list.GetRange(0, MaxBatch);
                list.RemoveRange(0, MaxBatch);
                return (tenantId, taken);
            }

            inFlight--;
            return null;
        }
    }

    private sealed record Waiter(string UserId, TaskCompletionSource<IReadOnlyList<GroupMembershipEntry>> Groups);
}
