using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Membership;

/// <summary>
/// Keeps every silo's <see cref="UserGroupsCache"/> true to the store: after a commit that changed anyone's
/// <c>groups</c>, and before the commit is acknowledged, the affected entries are invalidated (or, for users a group
/// only added, updated) on this silo directly and invalidated on every other active silo through its
/// <see cref="ISiloGroupsCacheGrain"/>. A create tells this silo's cache that the new resource is in no group.
/// </summary>
public sealed class UserGroupsInvalidator(
    UserGroupsCache cache,
    ILocalSiloDetails localSilo,
    IClusterMembershipService membership,
    IGrainFactory grainFactory,
    IOptions<ScimGrainOptions> options,
    ILogger<UserGroupsInvalidator> logger)
{
    private readonly TimeSpan timeout = TimeSpan.FromSeconds(Math.Max(1, options.Value.UserGroupsInvalidationTimeoutSeconds));

    /// <summary>
    /// Taken before resource <paramref name="id"/>'s create commits; once it has, this silo's cache knows the resource is
    /// in no group (see <see cref="UserGroupsCache.ExpectNew"/>).
    /// </summary>
    public UserGroupsCache.NewResource BeforeCreate(string tenantId, string id) => cache.ExpectNew(tenantId, id);

    /// <summary>Taken before a commit starts, and handed to <see cref="AfterCommitAsync"/> once it has committed.</summary>
    public long BeforeCommit() => cache.Ticket();

    /// <summary>
    /// Brings every silo's cache up to what the commit of resource <paramref name="id"/> changed: see
    /// <see cref="AfterCommitsAsync"/>; a group's rename or deletion reaches every user of the tenant, and a user's commit
    /// that does not say reaches that user. Users a group's commit only added (<see cref="CommitResult.JoinedUsers"/>) gain
    /// the group where this silo holds their groups, instead of being forgotten: their next read here needs no walk
    /// (other silos forget them, see <see cref="UserGroupsCache.JoinedGroupAsync"/>).
    /// </summary>
    /// <param name="displayName">The resource's displayName as committed (a group's, for the users that joined it).</param>
    /// <param name="since">What <see cref="BeforeCommit"/> returned before the commit started.</param>
    public Task AfterCommitAsync(
        string tenantId, ResourceKind kind, string id, CommitResult result, bool groupRenamedOrDeleted, string? displayName, long since)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!cache.Enabled)
        {
            return Task.CompletedTask;
        }

        if (kind == ResourceKind.Group && groupRenamedOrDeleted)
        {
            return InvalidateTenantAsync(tenantId);
        }

        if (kind == ResourceKind.Group && !result.GroupMemberChanged && result is { ChangedMembers: { } changed, JoinedUsers: { Count: > 0 } joined })
        {
            List<string> left = [.. changed.Except(joined, StringComparer.Ordinal)];
            return left.Count == 0
                ? JoinAsync(tenantId, id, displayName, joined, since)
                : Task.WhenAll(JoinAsync(tenantId, id, displayName, joined, since), InvalidateUsersAsync(tenantId, left));
        }

        return AfterCommitsAsync(tenantId, kind, [kind == ResourceKind.User && result.ChangedMembers is null ? result with { ChangedMembers = [id] } : result]);
    }

    /// <summary>
    /// Invalidates, once for all, what commits of resources of <paramref name="kind"/> changed. Membership edits name the
    /// users they touch; a nested group's edges, or a group commit that does not say, reach every user of the tenant.
    /// </summary>
    public Task AfterCommitsAsync(string tenantId, ResourceKind kind, IReadOnlyCollection<CommitResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);

        // Most commits (user creates, attribute changes) touch no edge: nothing to do, without building a list.
        if (!cache.Enabled || results.All(r => r.ChangedMembers is { Count: 0 }))
        {
            return Task.CompletedTask;
        }

        if (kind == ResourceKind.Group && results.Any(r => r.GroupMemberChanged || r.ChangedMembers is null))
        {
            return InvalidateTenantAsync(tenantId);
        }

        List<string> users = [.. results.SelectMany(r => r.ChangedMembers ?? []).Distinct(StringComparer.Ordinal)];
        return users.Count == 0 ? Task.CompletedTask : InvalidateUsersAsync(tenantId, users);
    }

    /// <summary>Forgets these users' groups on every silo.</summary>
    private Task InvalidateUsersAsync(string tenantId, IReadOnlyList<string> userIds)
    {
        cache.InvalidateUsers(tenantId, userIds);
        return ReachOtherSilosAsync(silo => silo.InvalidateUsers(tenantId, userIds));
    }

    /// <summary>Adds the group to these users' groups where this silo holds them; other silos forget them.</summary>
    private Task JoinAsync(string tenantId, string groupId, string? displayName, IReadOnlyList<string> userIds, long since) =>
        Task.WhenAll(
            cache.JoinedGroupAsync(tenantId, groupId, displayName, userIds, since),
            ReachOtherSilosAsync(silo => silo.InvalidateUsers(tenantId, userIds)));

    /// <summary>Forgets every user's groups of the tenant on every silo.</summary>
    private Task InvalidateTenantAsync(string tenantId)
    {
        cache.InvalidateTenant(tenantId);
        return ReachOtherSilosAsync(silo => silo.InvalidateTenant(tenantId));
    }

    private Task ReachOtherSilosAsync(Func<ISiloGroupsCacheGrain, Task> invalidate)
    {
        var others = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(localSilo.SiloAddress))
            .ToList();
        return others.Count == 0
            ? Task.CompletedTask
            : Task.WhenAll(others.Select(member => ReachAsync(member.SiloAddress, invalidate)));
    }

    private async Task ReachAsync(SiloAddress silo, Func<ISiloGroupsCacheGrain, Task> invalidate)
    {
        try
        {
            await invalidate(grainFactory.GetGrain<ISiloGroupsCacheGrain>(silo.ToParsableString())).WaitAsync(timeout);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // The write is committed and stays acknowledged. A silo that could not be reached (or did not answer within
            // Scim:UserGroupsInvalidationTimeoutSeconds) is leaving the cluster (its cache goes with it) or is cut off or
            // hung; its entries expire after Scim:UserGroupsCacheSeconds at the latest.
            logger.LogWarning(error, "Could not invalidate cached user groups on silo {Silo}", silo);
        }
    }
}
