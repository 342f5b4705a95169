using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Membership;

/// <summary>
/// This silo's copy of users' <c>groups</c> (direct and indirect memberships), so that a GET of a hot user answers
/// from memory instead of walking the membership edges in the store.
/// </summary>
/// <remarks>
/// <para>
/// A user's groups change when <em>other</em> resources commit: a group adds or removes it, a group it is in is
/// renamed, deleted or nested. Every such commit invalidates this cache on every silo before it is acknowledged
/// (<see cref="UserGroupsInvalidator"/>), so a read that follows an acknowledged write never sees the old groups.
/// </para>
/// <para>
/// A load races with invalidations: the store is read, then the result kept. Each user's entry has a stamp that an
/// invalidation advances, and each tenant an epoch that a tenant-wide invalidation advances; a load keeps its result
/// only under the stamp and epoch it saw <em>before</em> it read the store, so a result read before an invalidation
/// is never served after it. Bounded: at most <see cref="ScimGrainOptions.UserGroupsCacheEntries"/> users, each kept
/// at most <see cref="ScimGrainOptions.UserGroupsCacheSeconds"/>.
/// </para>
/// </remarks>
public sealed class UserGroupsCache : IDisposable
{
    private readonly IScimStore store;
    private readonly MemoryCache entries;
    private readonly TimeSpan lifetime;
    private readonly ConcurrentDictionary<string, TenantEpoch> epochs = new(StringComparer.Ordinal);
    private long hits;
    private long misses;

    public UserGroupsCache(IScimStore store, IOptions<ScimGrainOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.UserGroupsCacheEntries) });
        lifetime = TimeSpan.FromSeconds(Math.Max(1, options.Value.UserGroupsCacheSeconds));
        Enabled = options.Value.UserGroupsCacheEntries > 0;
    }

    /// <summary>False when configured with no entries: every read goes to the store.</summary>
    public bool Enabled { get; }

    /// <summary>Reads answered from memory and reads that went to the store, since start.</summary>
    public (long Hits, long Misses) Counts => (Interlocked.Read(ref hits), Interlocked.Read(ref misses));

    /// <summary>The groups of user <paramref name="userId"/>: from memory when still valid, otherwise from the store.</summary>
    public async Task<IReadOnlyList<GroupMembershipEntry>> GetAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        if (!Enabled)
        {
            return await store.GetGroupsOfMemberAsync(tenantId, userId, cancellationToken);
        }

        var seen = Observe(tenantId, userId);
        if (seen.Kept is { } kept)
        {
            Interlocked.Increment(ref hits);
            return kept;
        }

        Interlocked.Increment(ref misses);
        var groups = await store.GetGroupsOfMemberAsync(tenantId, userId, cancellationToken);
        seen.Keep(groups);
        return groups;
    }

    /// <summary>
    /// A user's row, for its grain's first read of it; when the user's groups are not in memory they are read with the
    /// row (<see cref="IScimStore.GetUserWithGroupsAsync"/>: one round trip on PostgreSQL) and kept under the rules of
    /// <see cref="GetAsync"/>, so the response that follows finds them here instead of going back to the store.
    /// </summary>
    public async Task<ResourceRow?> LoadUserAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        if (!Enabled)
        {
            return await store.GetAsync(tenantId, ResourceKind.User, userId, cancellationToken);
        }

        var seen = Observe(tenantId, userId);
        if (seen.Kept is not null)
        {
            return await store.GetAsync(tenantId, ResourceKind.User, userId, cancellationToken);
        }

        Interlocked.Increment(ref misses);
        var (user, groups) = await store.GetUserWithGroupsAsync(tenantId, userId, cancellationToken);
        if (user is not null)
        {
            seen.Keep(groups);
        }

        return user;
    }

    /// <summary>
    /// The groups of each of <paramref name="userIds"/>: those still valid from memory, the others from the store in one
    /// query (and kept, under the same rules as <see cref="GetAsync"/>).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<GroupMembershipEntry>>> GetManyAsync(
        string tenantId, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (!Enabled)
        {
            return await store.GetGroupsOfMembersAsync(tenantId, userIds, cancellationToken);
        }

        var found = new Dictionary<string, IReadOnlyList<GroupMembershipEntry>>(userIds.Count, StringComparer.Ordinal);
        List<(string UserId, Observation Seen)>? toLoad = null;
        foreach (var userId in userIds)
        {
            if (found.ContainsKey(userId))
            {
                continue;
            }

            var seen = Observe(tenantId, userId);
            if (seen.Kept is { } kept)
            {
                found[userId] = kept;
            }
            else
            {
                (toLoad ??= []).Add((userId, seen));
            }
        }

        Interlocked.Add(ref hits, found.Count);
        if (toLoad is null)
        {
            return found;
        }

        Interlocked.Add(ref misses, toLoad.Count);
        var loaded = await store.GetGroupsOfMembersAsync(tenantId, toLoad.ConvertAll(each => each.UserId), cancellationToken);
        foreach (var (userId, seen) in toLoad)
        {
            var groups = loaded.GetValueOrDefault(userId) ?? [];
            seen.Keep(groups);
            found[userId] = groups;
        }

        return found;
    }

    /// <summary>Forgets the groups of these users (members added to or removed from a group).</summary>
    public void InvalidateUsers(string tenantId, IEnumerable<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        foreach (var userId in userIds)
        {
            if (entries.TryGetValue(Key(tenantId, userId), out UserEntry? entry) && entry is not null)
            {
                Interlocked.Increment(ref entry.Stamp);
            }
        }
    }

    /// <summary>Forgets the groups of every user of the tenant (a group renamed, deleted or nested).</summary>
    public void InvalidateTenant(string tenantId) =>
        Interlocked.Increment(ref epochs.GetOrAdd(tenantId, static _ => new TenantEpoch()).Value);

    public void Dispose() => entries.Dispose();

    private UserEntry EntryFor(string tenantId, string userId)
    {
        var key = Key(tenantId, userId);
        if (entries.TryGetValue(key, out UserEntry? found) && found is not null)
        {
            return found;
        }

        // Two loads racing here may both add an entry; the later replaces the earlier, whose holder then keeps its
        // result where no one reads it. Harmless: a result is only ever served from the entry the cache holds.
        var created = new UserEntry();
        entries.Set(key, created, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        return created;
    }

    /// <summary>
    /// The user's entry with its stamp and tenant epoch as of now, read before the store is: an invalidation after this
    /// point makes a load kept under them stale. <see cref="Observation.Kept"/> holds the groups kept under the same
    /// stamp and epoch (no invalidation since they were loaded), if any.
    /// </summary>
    private Observation Observe(string tenantId, string userId)
    {
        var epoch = epochs.GetOrAdd(tenantId, static _ => new TenantEpoch());
        var entry = EntryFor(tenantId, userId);
        var stamp = Volatile.Read(ref entry.Stamp);
        var tenantEpoch = Volatile.Read(ref epoch.Value);
        var kept = Volatile.Read(ref entry.Kept) is { } current && current.Stamp == stamp && current.Epoch == tenantEpoch ? current.Groups : null;
        return new Observation(entry, stamp, tenantEpoch, kept);
    }

    private static string Key(string tenantId, string userId) => string.Concat(tenantId, "\n", userId);

    private sealed class TenantEpoch
    {
        public long Value;
    }

    private sealed class UserEntry
    {
        public long Stamp;
        public KeptGroups? Kept;
    }

    private sealed record KeptGroups(IReadOnlyList<GroupMembershipEntry> Groups, long Stamp, long Epoch);

    /// <summary>What <see cref="Observe"/> saw of one user's entry; <see cref="Keep"/> stores a load under it.</summary>
    private readonly record struct Observation(UserEntry Entry, long Stamp, long Epoch, IReadOnlyList<GroupMembershipEntry>? Kept)
    {
        /// <summary>Keeps <paramref name="groups"/>, read from the store after this observation, under its stamp and epoch.</summary>
        public void Keep(IReadOnlyList<GroupMembershipEntry> groups) => Volatile.Write(ref Entry.Kept, new KeptGroups(groups, Stamp, Epoch));
    }
}
