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
    /// <summary>How long new resources stay out of a cache found full.</summary>
    private const long FullBackoffMilliseconds = 10_000;

    private readonly IScimStore store;
    private readonly MemoryCache entries;
    private readonly TimeSpan lifetime;
    private readonly ConcurrentDictionary<string, TenantEpoch> epochs = new(StringComparer.Ordinal);
    private long hits;
    private long misses;
    private long clock;
    private long fullUntil;

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
                lock (entry)
                {
                    entry.Stamp++;
                }
            }
        }
    }

    /// <summary>
    /// Taken before a resource's create commits: once it has, <see cref="NewResource.Created"/> keeps its groups as none
    /// (nothing can add a member that does not exist yet), so its first read and the group adds that follow need no walk.
    /// </summary>
    /// <remarks>
    /// Only while the cache has room: past its size limit an added entry is refused and makes the cache evict others
    /// (sorting all its entries to choose them), which a bulk sync would pay per create for entries nobody may read.
    /// </remarks>
    public NewResource ExpectNew(string tenantId, string id) =>
        Enabled && Environment.TickCount64 >= Volatile.Read(ref fullUntil) ? new NewResource(Observe(tenantId, id)) : default;

    /// <summary>
    /// A point in this silo's order of cache events, taken by a commit before it starts: see <see cref="JoinedGroupAsync"/>.
    /// </summary>
    public long Ticket() => Interlocked.Increment(ref clock);

    /// <summary>
    /// These users were just added to group <paramref name="groupId"/> by a commit that began after
    /// <paramref name="since"/> (a <see cref="Ticket"/> of this silo), and nothing else changed for them. Where a user's
    /// groups are in memory, still valid, and read (or known) before that ticket, the group (direct) and the groups it is
    /// in (indirect, from this cache, read from the store when missing) are added to them; otherwise they are forgotten
    /// as by <see cref="InvalidateUsers"/>. Either way, a load that read the store before this call is not served after it.
    /// </summary>
    /// <remarks>
    /// Groups read after the ticket may already show this join and then a removal that followed it (the user deactivated
    /// meanwhile, its invalidation processed here, the groups read again): adding the group to them would bring back a
    /// membership that is gone. Groups read before the ticket cannot show a removal of the new edge, and one processed
    /// since has invalidated them. Tickets order one silo's events only, so other silos are only invalidated.
    /// </remarks>
    public async Task JoinedGroupAsync(string tenantId, string groupId, string? displayName, IReadOnlyList<string> userIds, long since)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (!userIds.Any(userId => Holds(tenantId, userId)))
        {
            // None of them is in memory here: nothing to update, and no reason to read the group's own groups.
            InvalidateUsers(tenantId, userIds);
            return;
        }

        var (ancestors, epoch) = await GroupsOfGroupAsync(tenantId, groupId);
        var tenantEpoch = epochs.GetOrAdd(tenantId, static _ => new TenantEpoch());
        var joined = new GroupMembershipEntry(groupId, displayName, Direct: true);
        foreach (var userId in userIds)
        {
            if (!entries.TryGetValue(Key(tenantId, userId), out UserEntry? entry) || entry is null)
            {
                continue;
            }

            lock (entry)
            {
                var stamp = entry.Stamp++;
                if (ancestors is not null && Volatile.Read(ref tenantEpoch.Value) == epoch && entry.KeptAt(stamp, epoch) is { } kept
                    && kept.Basis < since)
                {
                    entry.Kept = kept with { Groups = WithGroup(kept.Groups, joined, ancestors), Stamp = stamp + 1 };
                }
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
        if (!entries.TryGetValue(key, out _))
        {
            // Refused: the cache is at its size limit (it is evicting some entries now). New resources stay out of it for
            // a while (ExpectNew); reads still add theirs. The count itself is not asked: it locks the whole table.
            Volatile.Write(ref fullUntil, Environment.TickCount64 + FullBackoffMilliseconds);
        }

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
        var kept = entry.KeptAt(stamp, tenantEpoch)?.Groups;
        return new Observation(entry, stamp, tenantEpoch, kept, kept is null ? Ticket() : 0);
    }

    /// <summary>Whether this silo holds the member's groups, still valid (without adding an entry for it).</summary>
    private bool Holds(string tenantId, string memberId) =>
        entries.TryGetValue(Key(tenantId, memberId), out UserEntry? entry) && entry is not null
        && epochs.TryGetValue(tenantId, out var epoch)
        && entry.KeptAt(Volatile.Read(ref entry.Stamp), Volatile.Read(ref epoch.Value)) is not null;

    /// <summary>
    /// The groups group <paramref name="groupId"/> is in, with the tenant epoch they are valid under; null when they
    /// could not be had valid (the tenant's nesting changed while they were read).
    /// </summary>
    private async Task<(IReadOnlyList<GroupMembershipEntry>? Groups, long Epoch)> GroupsOfGroupAsync(string tenantId, string groupId)
    {
        var seen = Observe(tenantId, groupId);
        if (seen.Kept is { } kept)
        {
            return (kept, seen.Epoch);
        }

        var groups = await store.GetGroupsOfMemberAsync(tenantId, groupId);
        seen.Keep(groups);
        return ReferenceEquals(Observe(tenantId, groupId).Kept, groups) ? (groups, seen.Epoch) : (null, 0);
    }

    /// <summary>A member's groups with <paramref name="group"/> (direct) and the groups it is in (indirect) added, in the store's order.</summary>
    private static List<GroupMembershipEntry> WithGroup(
        IReadOnlyList<GroupMembershipEntry> current, GroupMembershipEntry group, IReadOnlyList<GroupMembershipEntry> groupsOfGroup)
    {
        var merged = new Dictionary<string, GroupMembershipEntry>(current.Count + groupsOfGroup.Count + 1, StringComparer.Ordinal);
        foreach (var entry in current)
        {
            merged[entry.GroupId] = entry;
        }

        merged[group.GroupId] = group;
        foreach (var ancestor in groupsOfGroup)
        {
            merged.TryAdd(ancestor.GroupId, ancestor with { Direct = false });
        }

        // As the store's walk orders them: direct first, then by id (ordinal).
        var ordered = merged.Values.ToList();
        ordered.Sort(static (a, b) => a.Direct != b.Direct ? (a.Direct ? -1 : 1) : string.CompareOrdinal(a.GroupId, b.GroupId));
        return ordered;
    }

    private static string Key(string tenantId, string userId) => string.Concat(tenantId, "\n", userId);

    private sealed class TenantEpoch
    {
        public long Value;
    }

    internal sealed class UserEntry
    {
        public long Stamp;
        public KeptGroups? Kept;

        /// <summary>What the entry keeps, if it was kept under this stamp and tenant epoch (nothing invalidated it since).</summary>
        public KeptGroups? KeptAt(long stamp, long epoch) =>
            Volatile.Read(ref Kept) is { } kept && kept.Stamp == stamp && kept.Epoch == epoch ? kept : null;
    }

    /// <param name="Basis">The <see cref="Ticket"/> taken before the groups were read from the store (or known).</param>
    internal sealed record KeptGroups(IReadOnlyList<GroupMembershipEntry> Groups, long Stamp, long Epoch, long Basis);

    /// <summary>What <see cref="Observe"/> saw of one user's entry; <see cref="Keep"/> stores a load under it.</summary>
    internal readonly record struct Observation(UserEntry Entry, long Stamp, long Epoch, IReadOnlyList<GroupMembershipEntry>? Kept, long Basis)
    {
        /// <summary>
        /// Keeps <paramref name="groups"/>, read from the store after this observation, under its stamp and epoch; not when
        /// the entry moved on since (an invalidation, or a join that updated what it holds): that load is stale.
        /// </summary>
        public void Keep(IReadOnlyList<GroupMembershipEntry> groups)
        {
            lock (Entry)
            {
                if (Entry.Stamp == Stamp)
                {
                    Entry.Kept = new KeptGroups(groups, Stamp, Epoch, Basis);
                }
            }
        }
    }

    /// <summary>A resource being created (<see cref="ExpectNew"/>): <see cref="Created"/> once its create has committed.</summary>
    public readonly struct NewResource
    {
        private readonly Observation? seen;

        internal NewResource(Observation seen) => this.seen = seen;

        /// <summary>The create committed: the resource is in no group.</summary>
        public void Created() => seen?.Keep([]);
    }
}
