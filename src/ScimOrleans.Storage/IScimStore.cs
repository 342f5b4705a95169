namespace ScimOrleans.Storage;

/// <summary>
/// The SCIM store: system of record for resources, membership edges and the event feed. Every write is one
/// transaction. Implementations: SQLite (embedded) and PostgreSQL (cluster); both pass one contract suite.
/// </summary>
public interface IScimStore
{
    /// <summary>Creates the schema or upgrades it to the current version. Safe to call from several processes.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Registers a tenant; returns false if it already exists.</summary>
    Task<bool> CreateTenantAsync(string tenantId, DateTimeOffset created, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken = default);

    Task<TenantRecord?> GetTenantAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Removes a tenant and every resource, edge and event it owns; returns false if it did not exist.</summary>
    Task<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default);

    Task<ResourceRow?> GetAsync(string tenantId, ResourceKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies one mutation atomically. Throws <see cref="StoreConcurrencyException"/> on a version mismatch (or
    /// Create of an existing id), <c>ScimException</c> 409 uniqueness when userName (users) or displayName (groups)
    /// is taken in the tenant (case-insensitively), <c>ScimException</c> 400 invalidValue when a member to add does
    /// not exist, 404 when the row to update or delete does not exist. Nothing is written when it throws.
    /// </summary>
    Task<CommitResult> CommitAsync(ResourceCommit commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies many independent creates (<see cref="CommitAction.Create"/> commits) as if each were passed to
    /// <see cref="CommitAsync"/> in list order, one after another: each is atomic on its own, one that fails writes
    /// nothing and does not stop the others, and a later create sees the earlier ones (a second create of the same
    /// userName in the list fails with 409). Returns once every create that succeeded is durable; the outcomes are in
    /// the order of <paramref name="creates"/>. Stores batch them into few transactions — the bulk-provisioning path.
    /// </summary>
    Task<IReadOnlyList<CommitOutcome>> CreateManyAsync(IReadOnlyList<ResourceCommit> creates, CancellationToken cancellationToken = default);

    /// <summary>Answers a list query in the database (never by loading the tenant into memory).</summary>
    Task<QueryPage> QueryAsync(ResourceQuery query, CancellationToken cancellationToken = default);

    /// <summary>Members of a group in a stable order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<MemberEntry>> GetMembersAsync(string tenantId, string groupId, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="GetMembersAsync"/> for many groups in one query: for each group the same entries in the same order,
    /// at most <paramref name="limitPerGroup"/> of them. The dictionary (ordinal keys) has an entry for every distinct
    /// id of <paramref name="groupIds"/>; a group with no members (or that does not exist) maps to an empty list.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<MemberEntry>>> GetMembersOfGroupsAsync(
        string tenantId, IReadOnlyCollection<string> groupIds, int limitPerGroup, CancellationToken cancellationToken = default);

    Task<int> CountMembersAsync(string tenantId, string groupId, CancellationToken cancellationToken = default);

    /// <summary>Groups <paramref name="memberId"/> belongs to: direct edges and, through nested groups, indirect ones.</summary>
    Task<IReadOnlyList<GroupMembershipEntry>> GetGroupsOfMemberAsync(string tenantId, string memberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A user's row and its groups (as <see cref="GetGroupsOfMemberAsync"/>; empty when the user does not exist), read
    /// together: a user's first read needs both, and a store that can reads them in one round trip.
    /// </summary>
    async Task<(ResourceRow? User, IReadOnlyList<GroupMembershipEntry> Groups)> GetUserWithGroupsAsync(
        string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var user = await GetAsync(tenantId, ResourceKind.User, userId, cancellationToken);
        return (user, user is null ? [] : await GetGroupsOfMemberAsync(tenantId, userId, cancellationToken));
    }

    /// <summary>
    /// <see cref="GetGroupsOfMemberAsync"/> for many members in one query (one recursive walk seeded by every id):
    /// for each member the same entries in the same order. The dictionary (ordinal keys) has an entry for every
    /// distinct id of <paramref name="memberIds"/>; a member with no groups (or that does not exist) maps to an empty list.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<GroupMembershipEntry>>> GetGroupsOfMembersAsync(
        string tenantId, IReadOnlyCollection<string> memberIds, CancellationToken cancellationToken = default);

    /// <summary>The stored password hash of a user, or null.</summary>
    Task<string?> GetPasswordHashAsync(string tenantId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Events after <paramref name="afterSequence"/> (0 = from the start), in commit order.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(string tenantId, long afterSequence, int limit, CancellationToken cancellationToken = default);
}
