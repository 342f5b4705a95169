using System.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// The cluster SCIM store on PostgreSQL (schema: <c>db/postgresql/scim/</c>). Any number of silos can share one
/// database: every commit is one READ COMMITTED transaction that checks the row version, lets unique indexes enforce
/// userName/displayName uniqueness and locks only the rows it touches, so a tenant's writes run in parallel across
/// silos; the event feed stays gap-free and ordered regardless (see <see cref="PostgresEventFeed"/>).
/// </summary>
/// <remarks>
/// The store borrows connections from <see cref="PostgresStoreOptions.DataSource"/> for the duration of one call and
/// holds no other resources, so it needs no disposal (the data source belongs to the caller); see
/// <see cref="PostgresStoreOptions"/> for pool sizing. Point it at the primary: reading the feed writes (it numbers
/// newly committed events).
/// </remarks>
public sealed class PostgresScimStore : IScimStore
{
    /// <summary>Tables holding a tenant's data, children first; the tenants row goes last.</summary>
    private static readonly string[] TenantTables = ["events", "memberships", "group_bumps", "resources"];

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresCommitter _committer;
    private readonly PostgresEventFeed _feed;
    private readonly ILogger _logger;

    public PostgresScimStore(PostgresStoreOptions options, ILogger<PostgresScimStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.DataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCommitAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinPublishBatch, 1);
        _dataSource = options.DataSource;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _committer = new PostgresCommitter(options.DataSource, options.MaxCommitAttempts, _logger);
        _feed = new PostgresEventFeed(options.DataSource, options.MinPublishBatch);
    }

    /// <summary>
    /// Applies the pending scripts under a PostgreSQL advisory lock, so silos starting at once are safe. Needs a UTF-8
    /// database and a role allowed to create tables and a collation.
    /// </summary>
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        PostgresMigrator.MigrateAsync(_dataSource, _logger, cancellationToken);

    public async Task<bool> CreateTenantAsync(string tenantId, DateTimeOffset created, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        await using var insert = _dataSource.CreateCommand(
            "INSERT INTO tenants (tenant_id, created) VALUES (@tenant, @created) ON CONFLICT (tenant_id) DO NOTHING;");
        insert.Parameters.AddValue("tenant", tenantId);
        insert.Parameters.AddValue("created", PostgresValues.Time(created));
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var select = _dataSource.CreateCommand("SELECT tenant_id, created FROM tenants ORDER BY tenant_id;");
        var tenants = new List<TenantRecord>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(new TenantRecord(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return tenants;
    }

    public async Task<TenantRecord?> GetTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var select = _dataSource.CreateCommand("SELECT tenant_id, created FROM tenants WHERE tenant_id = @tenant;");
        select.Parameters.AddValue("tenant", tenantId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TenantRecord(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1))
            : null;
    }

    public async Task<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

        // Every table leads with tenant_id, so each delete is a range scan of one index prefix.
        foreach (var table in TenantTables)
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE tenant_id = @tenant;", connection, transaction);
            delete.Parameters.AddValue("tenant", tenantId);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        bool existed;
        await using (var tenant = new NpgsqlCommand("DELETE FROM tenants WHERE tenant_id = @tenant;", connection, transaction))
        {
            tenant.Parameters.AddValue("tenant", tenantId);
            existed = await tenant.ExecuteNonQueryAsync(cancellationToken) == 1;
        }

        await transaction.CommitAsync(cancellationToken);
        return existed;
    }

    public async Task<ResourceRow?> GetAsync(string tenantId, ResourceKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var batch = _dataSource.CreateBatch();
        if (kind == ResourceKind.Group)
        {
            // A group's grain loads it after every change by another commit (which invalidates it): folding its bumps
            // here keeps their count, which every read of the group adds up, as small as the changes since its last load.
            batch.BatchCommands.Add(PostgresGroupBumps.FoldCommand(tenantId, id));
        }

        batch.BatchCommands.Add(SelectRowCommand(tenantId, kind, id));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var rows = await new PostgresBatchResults(reader).NextAsync(cancellationToken);
        return await rows.ReadAsync(cancellationToken) ? PostgresRowReader.ReadResource(rows) : null;
    }

    /// <summary>One round trip: the row and the groups walk in one read-only transaction (the walk planned generically).</summary>
    public async Task<(ResourceRow? User, IReadOnlyList<GroupMembershipEntry> Groups)> GetUserWithGroupsAsync(
        string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var groups = new EntriesById<GroupMembershipEntry>([userId]);
        await using var batch = ReadOnlyGenericBatch(SelectRowCommand(tenantId, ResourceKind.User, userId), GroupsOfMembersCommand(tenantId, groups.Ids));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var results = new PostgresBatchResults(reader);
        var rows = await results.NextAsync(cancellationToken);
        var user = await rows.ReadAsync(cancellationToken) ? PostgresRowReader.ReadResource(rows) : null;
        await ReadGroupsAsync(await results.NextAsync(cancellationToken), groups, cancellationToken);
        return (user, user is null ? [] : groups.ToResult()[userId]);
    }

    /// <summary>
    /// <paramref name="reads"/> in a read-only transaction of their own, there only to plan them generically
    /// (<see cref="PostgresWriteContext.GenericPlans"/>, see <see cref="GroupsOfMembersCommand"/>): still one round trip.
    /// </summary>
    private NpgsqlBatch ReadOnlyGenericBatch(params NpgsqlBatchCommand[] reads)
    {
        var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN READ ONLY;"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgresWriteContext.GenericPlans));
        foreach (var read in reads)
        {
            batch.BatchCommands.Add(read);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT;"));
        return batch;
    }

    private static NpgsqlBatchCommand SelectRowCommand(string tenantId, ResourceKind kind, string id)
    {
        var select = new NpgsqlBatchCommand(
            $"SELECT {PostgresRowReader.ResourceSelectList} FROM {PostgresGroupBumps.ReadSource(kind)} AS r WHERE r.tenant_id = @tenant AND r.kind = @kind AND r.id = @id;");
        select.Parameters.AddValue("tenant", tenantId);
        select.Parameters.AddValue("kind", (int)kind);
        select.Parameters.AddValue("id", id);
        return select;
    }

    public Task<CommitResult> CommitAsync(ResourceCommit commit, CancellationToken cancellationToken = default) =>
        _committer.CommitAsync(commit, cancellationToken);

    public Task<IReadOnlyList<CommitOutcome>> CreateManyAsync(IReadOnlyList<ResourceCommit> creates, CancellationToken cancellationToken = default) =>
        _committer.CreateManyAsync(creates, cancellationToken);

    public async Task<QueryPage> QueryAsync(ResourceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Translate before touching the database: an unsupported filter fails fast with 400.
        var parameters = new SqlParameterBag();
        var translator = new QuerySqlTranslator(PostgresDialect.Instance, parameters, query.Kind, query.Schema, query.TenantId);
        var where = query.Filter is null ? "" : " AND " + translator.Filter(query.Filter);
        var orderBy = translator.OrderBy(query.Sort);

        // Keyset paging narrows the page, never the total: the count below runs without it.
        var keyset = query.After is null ? "" : " AND " + translator.Keyset(query.Sort, query.After);

        // kind is a literal (an enum, not client data) so the planner can use the partial per-kind indexes.
        var kind = query.Kind == ResourceKind.User ? KindLiterals.User : KindLiterals.Group;
        var source = PostgresGroupBumps.ReadSource(query.Kind);
        var from = $"FROM {source} AS r WHERE r.tenant_id = @tenant AND r.kind = {kind}{where}";
        var offset = query.After is null ? Math.Max(query.StartIndex, 1) - 1 : 0;
        var count = Math.Max(query.Count, 0);

        // One REPEATABLE READ transaction, so the total, the page and its users' groups come from the same snapshot,
        // opened and committed by the batch itself: BEGIN, count, page, groups and COMMIT travel in one round trip (an
        // NpgsqlTransaction would cost a second one for its COMMIT). Should a statement fail, the connection goes back
        // to the pool in a failed transaction, which Npgsql rolls back before its next use.
        var withGroups = query.WithGroups && query.Kind == ResourceKind.User && count > 0;

        // The groups statement can only be seeded by running the page query again; past the first page that repeats
        // the OFFSET scan (at 10k users a page-walk page's groups cost more than the page), so deep pages read their
        // groups by id in a second round trip, still inside the snapshot.
        var groupsWithPage = withGroups && offset == 0;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"));
        if (offset == 0)
        {
            // First pages and lookups: generic plans, planned once per connection (a lookup's three statements were
            // planned on every execution). Deeper pages keep custom plans: with the OFFSET unknown the generic plan
            // expects a tenth of the tenant and hash-joins a full scan (100k users, offset 90,000: 143 ms vs 92 ms).
            batch.BatchCommands.Add(new NpgsqlBatchCommand(PostgresWriteContext.GenericPlans));
        }
        batch.BatchCommands.Add(QueryCommand($"SELECT COUNT(*) {from};", query.TenantId, parameters));
        if (count > 0)
        {
            // Past the first page, a deferred join: the page's ids are found first (on ix_resources_created an
            // index-only scan for the default order), then only those rows are read. Selecting the rows themselves made
            // PostgreSQL sort the whole tenant's rows, spilling to disk, to skip a deep OFFSET (100k users, offset
            // 90,000: 212 ms; 92 ms). First pages and lookups keep the plain query: under their generic plan the join
            // would expect a tenth of the tenant and scan it all (a userName lookup: 9.5 ms instead of 0.02 ms).
            var pageSql = offset == 0
                ? $"SELECT {PostgresRowReader.ResourceSelectList} {from}{keyset} ORDER BY {orderBy} LIMIT @limit OFFSET @offset;"
                : $"SELECT {PostgresRowReader.ResourceSelectList} FROM {source} AS r WHERE r.tenant_id = @tenant AND r.kind = {kind} " +
                  $"AND r.id IN (SELECT r.id {from}{keyset} ORDER BY {orderBy} LIMIT @limit OFFSET @offset) ORDER BY {orderBy};";
            var page = QueryCommand(
                pageSql,
                query.TenantId,
                parameters);
            page.Parameters.AddValue("limit", count);
            page.Parameters.AddValue("offset", offset);
            batch.BatchCommands.Add(page);
        }

        if (groupsWithPage)
        {
            var groupsOfPage = QueryCommand(
                GroupsOfMembersSql($"IN (SELECT r.id {from}{keyset} ORDER BY {orderBy} LIMIT @limit OFFSET @offset)"),
                query.TenantId,
                parameters);
            groupsOfPage.Parameters.AddValue("limit", count);
            groupsOfPage.Parameters.AddValue("offset", offset);
            batch.BatchCommands.Add(groupsOfPage);
        }

        var commit = new NpgsqlBatchCommand("COMMIT;");
        if (!withGroups || groupsWithPage)
        {
            batch.BatchCommands.Add(commit);
        }

        int total;
        var rows = new List<ResourceRow>();
        EntriesById<GroupMembershipEntry>? groups = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            var results = new PostgresBatchResults(reader);
            var counted = await results.NextAsync(cancellationToken);
            await counted.ReadAsync(cancellationToken);
            total = checked((int)counted.GetInt64(0));
            if (count > 0)
            {
                var page = await results.NextAsync(cancellationToken);
                while (await page.ReadAsync(cancellationToken))
                {
                    rows.Add(PostgresRowReader.ReadResource(page));
                }
            }

            groups = withGroups ? new EntriesById<GroupMembershipEntry>(rows.Select(r => r.Id)) : null;
            if (groupsWithPage)
            {
                await ReadGroupsAsync(await results.NextAsync(cancellationToken), groups!, cancellationToken);
            }
        }

        if (withGroups && !groupsWithPage)
        {
            await using var rest = new NpgsqlBatch(connection);
            if (groups!.Ids.Count > 0)
            {
                // The page itself was planned for its OFFSET; the walk by ids plans generically (GroupsOfMembersCommand).
                rest.BatchCommands.Add(new NpgsqlBatchCommand(PostgresWriteContext.GenericPlans));
                rest.BatchCommands.Add(GroupsOfMembersCommand(query.TenantId, groups.Ids));
            }

            rest.BatchCommands.Add(commit);
            await using var reader = await rest.ExecuteReaderAsync(cancellationToken);
            if (groups.Ids.Count > 0)
            {
                await ReadGroupsAsync(await new PostgresBatchResults(reader).NextAsync(cancellationToken), groups, cancellationToken);
            }
        }

        if (groups is null && query.WithGroups && query.Kind == ResourceKind.User)
        {
            groups = new EntriesById<GroupMembershipEntry>([]);
        }

        return new QueryPage(total, rows, groups?.ToResult());
    }

    public async Task<IReadOnlyList<MemberEntry>> GetMembersAsync(string tenantId, string groupId, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        // Ordered by member id: the primary key order, so the first page is read straight off the index.
        await using var select = _dataSource.CreateCommand(
            "SELECT m.member_id, m.member_kind, " +
            $"CASE WHEN m.member_kind = {KindLiterals.User} THEN COALESCE(r.display_name, r.user_name) ELSE r.display_name END " +
            "FROM memberships AS m LEFT JOIN resources AS r ON r.tenant_id = m.tenant_id AND r.kind = m.member_kind AND r.id = m.member_id " +
            "WHERE m.tenant_id = @tenant AND m.group_id = @group ORDER BY m.member_id LIMIT @limit;");
        select.Parameters.AddValue("tenant", tenantId);
        select.Parameters.AddValue("group", groupId);
        select.Parameters.AddValue("limit", limit);
        var members = new List<MemberEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new MemberEntry(reader.GetString(0), (ResourceKind)reader.GetInt32(1), PostgresRowReader.NullableString(reader, 2)));
        }

        return members;
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MemberEntry>>> GetMembersOfGroupsAsync(
        string tenantId, IReadOnlyCollection<string> groupIds, int limitPerGroup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groupIds);
        var members = new EntriesById<MemberEntry>(groupIds);

        if (members.Ids.Count > 0 && limitPerGroup > 0)
        {
            // A LATERAL subquery per group reads that group's first members (by member id, as GetMembersAsync orders
            // them) straight off the primary key: at most limitPerGroup edges of each group, however big it is.
            // ROW_NUMBER() over the groups' edges would read every edge of every group.
            await using var select = _dataSource.CreateCommand(
                "SELECT g.group_id, m.member_id, m.member_kind, " +
                $"CASE WHEN m.member_kind = {KindLiterals.User} THEN COALESCE(r.display_name, r.user_name) ELSE r.display_name END " +
                "FROM unnest(@groups) AS g (group_id) " +
                "CROSS JOIN LATERAL (SELECT f.member_id, f.member_kind FROM memberships AS f" +
                " WHERE f.tenant_id = @tenant AND f.group_id = g.group_id ORDER BY f.member_id LIMIT @limit) AS m " +
                "LEFT JOIN resources AS r ON r.tenant_id = @tenant AND r.kind = m.member_kind AND r.id = m.member_id " +
                "ORDER BY g.group_id, m.member_id;");
            select.Parameters.AddValue("tenant", tenantId);
            select.Parameters.AddValue("groups", members.Ids.ToArray());
            select.Parameters.AddValue("limit", limitPerGroup);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                members.Add(
                    reader.GetString(0),
                    new MemberEntry(reader.GetString(1), (ResourceKind)reader.GetInt32(2), PostgresRowReader.NullableString(reader, 3)));
            }
        }

        return members.ToResult();
    }

    public async Task<int> CountMembersAsync(string tenantId, string groupId, CancellationToken cancellationToken = default)
    {
        await using var select = _dataSource.CreateCommand(
            "SELECT COUNT(*) FROM memberships WHERE tenant_id = @tenant AND group_id = @group;");
        select.Parameters.AddValue("tenant", tenantId);
        select.Parameters.AddValue("group", groupId);
        return checked((int)(long)(await select.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<IReadOnlyList<GroupMembershipEntry>> GetGroupsOfMemberAsync(string tenantId, string memberId, CancellationToken cancellationToken = default) =>
        (await GetGroupsOfMembersAsync(tenantId, [memberId], cancellationToken))[memberId];

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<GroupMembershipEntry>>> GetGroupsOfMembersAsync(
        string tenantId, IReadOnlyCollection<string> memberIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memberIds);
        var groups = new EntriesById<GroupMembershipEntry>(memberIds);

        if (groups.Ids.Count > 0)
        {
            await using var batch = ReadOnlyGenericBatch(GroupsOfMembersCommand(tenantId, groups.Ids));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await ReadGroupsAsync(await new PostgresBatchResults(reader).NextAsync(cancellationToken), groups, cancellationToken);
        }

        return groups.ToResult();
    }

    /// <summary>
    /// The groups of <paramref name="memberIds"/> (at least one). Run under <see cref="PostgresWriteContext.GenericPlans"/>:
    /// left to choose, PostgreSQL kept planning the walk again on most executions (its custom plans look cheaper than
    /// the generic one) — a 10k-user load run's first GETs planned it 6,209 times in 11,500 calls, 4.2 s of planning
    /// against 1.2 s of execution. The generic plan is the same index walk. One member (a GET, a write's response) is
    /// seeded by a scalar, several by an array.
    /// </summary>
    private static NpgsqlBatchCommand GroupsOfMembersCommand(string tenantId, IReadOnlyCollection<string> memberIds)
    {
        var one = memberIds.Count == 1;
        var select = new NpgsqlBatchCommand(GroupsOfMembersSql(one ? "= @members" : "= ANY(@members)"));
        select.Parameters.AddValue("tenant", tenantId);
        if (one)
        {
            select.Parameters.AddValue("members", memberIds.First());
        }
        else
        {
            select.Parameters.AddValue("members", memberIds.ToArray());
        }

        return select;
    }

    /// <summary>
    /// The groups of the members that <paramref name="seed"/> selects (e.g. <c>= ANY(@members)</c>, or <c>IN (page)</c>).
    /// Walks up through groups that are members of groups, from every member at once. UNION (not UNION ALL) drops rows
    /// already produced, and "direct" only takes two values, so the walk ends even when the nesting has a cycle. A group
    /// reached both directly and indirectly is reported once per member, as direct. A member itself (a group inside a
    /// cycle) is not its own ancestor.
    /// </summary>
    private static string GroupsOfMembersSql(string seed) =>
        "WITH RECURSIVE ancestors (member_id, group_id, direct) AS (" +
        $" SELECT m.member_id, m.group_id, 1 FROM memberships AS m WHERE m.tenant_id = @tenant AND m.member_id {seed}" +
        " UNION" +
        " SELECT a.member_id, p.group_id, 0 FROM ancestors AS a JOIN memberships AS p" +
        $" ON p.tenant_id = @tenant AND p.member_id = a.group_id AND p.member_kind = {KindLiterals.Group})" +
        " SELECT a.member_id, a.group_id, MAX(g.display_name), MAX(a.direct) FROM ancestors AS a" +
        $" LEFT JOIN resources AS g ON g.tenant_id = @tenant AND g.kind = {KindLiterals.Group} AND g.id = a.group_id" +
        " WHERE a.group_id <> a.member_id GROUP BY a.member_id, a.group_id" +
        " ORDER BY a.member_id, MAX(a.direct) DESC, a.group_id;";

    private static async Task ReadGroupsAsync(NpgsqlDataReader reader, EntriesById<GroupMembershipEntry> groups, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(reader.GetString(0), new GroupMembershipEntry(
                reader.GetString(1), PostgresRowReader.NullableString(reader, 2), reader.GetInt32(3) == 1));
        }
    }

    public async Task<string?> GetPasswordHashAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        await using var select = _dataSource.CreateCommand(
            $"SELECT password_hash FROM resources WHERE tenant_id = @tenant AND kind = {KindLiterals.User} AND id = @id;");
        select.Parameters.AddValue("tenant", tenantId);
        select.Parameters.AddValue("id", userId);
        return await select.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(string tenantId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        _feed.ReadAsync(tenantId, afterSequence, limit, cancellationToken);

    private static NpgsqlBatchCommand QueryCommand(string sql, string tenantId, SqlParameterBag parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddValue("tenant", tenantId);
        foreach (var (name, value) in parameters.Values)
        {
            command.Parameters.AddValue(name, value);
        }

        return command;
    }
}
