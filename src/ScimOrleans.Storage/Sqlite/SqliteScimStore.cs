using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Sqlite;

/// <summary>
/// The embedded SCIM store on SQLite. Writes are serialised through one writer connection (see
/// <see cref="SqliteWriter"/>); reads use pooled connections of their own, which in WAL mode see the last committed
/// state without waiting for the writer. Dispose it to close the writer connection and the pool (for a shared
/// in-memory database, disposing discards the database).
/// </summary>
public sealed class SqliteScimStore : IScimStore, IAsyncDisposable
{

    /// <summary>Tables holding a tenant's data, children first; the tenants row goes last.</summary>
    /// <summary>
    /// Creates per optimistic unit in <see cref="CreateManyAsync"/>: enough that savepoints stop counting, few enough that
    /// a failing create replays a short run, and that the writer's batch of units stays a transaction of moderate size.
    /// </summary>
    private const int MaxCreateRun = 20;

    private static readonly string[] TenantTables = ["events", "memberships", "resources"];

    /// <summary>
    /// Ordered by member id: the primary key order, so the first page is read straight off the index.
    /// </summary>
    private static readonly string MembersSql =
        "SELECT m.member_id, m.member_kind, " +
        $"CASE WHEN m.member_kind = {KindLiterals.User} THEN COALESCE(r.display_name, r.user_name) ELSE r.display_name END " +
        "FROM memberships AS m LEFT JOIN resources AS r ON r.tenant_id = m.tenant_id AND r.kind = m.member_kind AND r.id = m.member_id " +
        "WHERE m.tenant_id = @tenant AND m.group_id = @group ORDER BY m.member_id LIMIT @limit;";

    /// <summary>
    /// Walks up through groups that are members of groups, from every member at once. UNION (not UNION ALL)
    /// drops rows already produced, and "direct" only takes two values, so the walk ends even when the nesting
    /// has a cycle. A group reached both directly and indirectly is reported once per member, as direct. A
    /// member itself (a group inside a cycle) is not its own ancestor.
    /// </summary>
    private static readonly string GroupsOfMembersSql =
        "WITH RECURSIVE ancestors (member_id, group_id, direct) AS (" +
        " SELECT m.member_id, m.group_id, 1 FROM memberships AS m" +
        " WHERE m.tenant_id = @tenant AND m.member_id IN (SELECT value FROM json_each(@members))" +
        " UNION" +
        $" SELECT a.member_id, p.group_id, 0 FROM ancestors AS a JOIN memberships AS p{SqliteDialect.Instance.MemberIndexHint}" +
        $" ON p.tenant_id = @tenant AND p.member_id = a.group_id AND p.member_kind = {KindLiterals.Group})" +
        " SELECT a.member_id, a.group_id, MAX(g.display_name), MAX(a.direct) FROM ancestors AS a" +
        $" LEFT JOIN resources AS g ON g.tenant_id = @tenant AND g.kind = {KindLiterals.Group} AND g.id = a.group_id" +
        " WHERE a.group_id <> a.member_id GROUP BY a.member_id, a.group_id" +
        " ORDER BY a.member_id, MAX(a.direct) DESC, a.group_id;";

    /// <summary>
    /// SQLite has no LATERAL join, so each group's first members (by member id, as GetMembersAsync orders
    /// them) come from a correlated IN list, built once per group straight off the primary key: the query
    /// reads at most limitPerGroup edges of each group, however big it is. ROW_NUMBER() over the groups'
    /// edges would read every edge of every group.
    /// </summary>
    private static readonly string MembersOfGroupsSql =
        "SELECT g.value, m.member_id, m.member_kind, " +
        $"CASE WHEN m.member_kind = {KindLiterals.User} THEN COALESCE(r.display_name, r.user_name) ELSE r.display_name END " +
        "FROM json_each(@groups) AS g " +
        "JOIN memberships AS m ON m.tenant_id = @tenant AND m.group_id = g.value AND m.member_id IN (" +
        " SELECT f.member_id FROM memberships AS f WHERE f.tenant_id = @tenant AND f.group_id = g.value ORDER BY f.member_id LIMIT @limit) " +
        "LEFT JOIN resources AS r ON r.tenant_id = m.tenant_id AND r.kind = m.member_kind AND r.id = m.member_id " +
        "ORDER BY g.value, m.member_id;";

    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly ILogger _logger;

    public SqliteScimStore(SqliteStoreOptions options, ILogger<SqliteScimStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        _connectionString = options.ConnectionString;
        _writer = new SqliteWriter(options.ConnectionString, options.BusyTimeout);
        _readers = new SqliteReaderPool(options.ConnectionString, options.MaxIdleReaders);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        SqliteMigrator.MigrateAsync(_writer, _logger, cancellationToken);

    public Task<bool> CreateTenantAsync(string tenantId, DateTimeOffset created, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return _writer.ExecuteAsync(async (context, ct) =>
        {
            await using var insert = context.Command(
                "INSERT INTO tenants (tenant_id, created) VALUES (@tenant, @created) ON CONFLICT (tenant_id) DO NOTHING;");
            insert.Parameters.AddWithValue("@tenant", tenantId);
            insert.Parameters.AddWithValue("@created", StoreTime.ToUnixMicroseconds(created));
            var inserted = await insert.ExecuteNonQueryAsync(ct) == 1;
            return new UnitOutcome<bool>(inserted, inserted);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<TenantRecord>> ListTenantsAsync(CancellationToken cancellationToken = default)
    {
        await using var session = await RentReaderAsync(cancellationToken);
        var select = session.Prepared("SELECT tenant_id, created FROM tenants ORDER BY tenant_id;");
        var tenants = new List<TenantRecord>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(new TenantRecord(reader.GetString(0), StoreTime.FromUnixMicroseconds(reader.GetInt64(1))));
        }

        return tenants;
    }

    public async Task<TenantRecord?> GetTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await using var session = await RentReaderAsync(cancellationToken);
        var select = session.Prepared("SELECT tenant_id, created FROM tenants WHERE tenant_id = @tenant;");
        select.Parameters.AddWithValue("@tenant", tenantId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TenantRecord(reader.GetString(0), StoreTime.FromUnixMicroseconds(reader.GetInt64(1)))
            : null;
    }

    public Task<bool> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return _writer.ExecuteAsync(async (context, ct) =>
        {
            // Every table leads with tenant_id, so each delete is a range scan of one index prefix.
            foreach (var table in TenantTables)
            {
                await using var delete = context.Command($"DELETE FROM {table} WHERE tenant_id = @tenant;");
                delete.Parameters.AddWithValue("@tenant", tenantId);
                await delete.ExecuteNonQueryAsync(ct);
            }

            await using var tenant = context.Command("DELETE FROM tenants WHERE tenant_id = @tenant;");
            tenant.Parameters.AddWithValue("@tenant", tenantId);
            var existed = await tenant.ExecuteNonQueryAsync(ct) == 1;
            return new UnitOutcome<bool>(existed, Keep: true);
        }, cancellationToken);
    }

    public async Task<ResourceRow?> GetAsync(string tenantId, ResourceKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var session = await RentReaderAsync(cancellationToken);
        var select = session.Prepared($"SELECT {ResourceColumns.SelectList} FROM resources AS r WHERE r.tenant_id = @tenant AND r.kind = @kind AND r.id = @id;");
        select.Parameters.AddWithValue("@tenant", tenantId);
        select.Parameters.AddWithValue("@kind", (int)kind);
        select.Parameters.AddWithValue("@id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? SqliteRowReader.Read(reader) : null;
    }

    public Task<CommitResult> CommitAsync(ResourceCommit commit, CancellationToken cancellationToken = default)
    {
        CommitRules.Validate(commit);
        return _writer.ExecuteAsync((context, ct) => SqliteCommitSession.ApplyAsync(context, commit, ct), cancellationToken);
    }

    public async Task<IReadOnlyList<CommitOutcome>> CreateManyAsync(IReadOnlyList<ResourceCommit> creates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(creates);
        foreach (var create in creates)
        {
            CommitRules.ValidateCreate(create);
        }

        // Queued together, the creates fill the writer's group-commit batches. Runs of consecutive creates without
        // members go optimistically as one unit each (one savepoint instead of one per create: on bulk creates the
        // savepoints were a third of the writer's statements); a run with any failing create wrote nothing and is
        // replayed one create per unit, so each create gets exactly the outcome CommitAsync gives it.
        return await CreateRunsAsync(CreateRuns(creates), cancellationToken);
    }

    /// <summary>
    /// Queues every run as one unit and returns their outcomes in order; a run of several that failed is replayed as
    /// runs of one, whose failure is that create's own outcome.
    /// </summary>
    private async Task<List<CommitOutcome>> CreateRunsAsync(List<IReadOnlyList<ResourceCommit>> runs, CancellationToken cancellationToken)
    {
        var units = runs
            .Select(run => (Func<SqliteWriteContext, CancellationToken, Task<UnitOutcome<CommitResult[]>>>)((context, ct) => ApplyRunAsync(context, run, ct)))
            .ToList();
        var results = await _writer.ExecuteManyAsync(units, cancellationToken);
        var outcomes = new List<CommitOutcome>(runs.Sum(run => run.Count));
        for (var i = 0; i < runs.Count; i++)
        {
            try
            {
                outcomes.AddRange((await results[i]).Select(CommitOutcome.Succeeded));
            }
            catch (Exception error) when (error is not OperationCanceledException && runs[i].Count == 1)
            {
                outcomes.Add(CommitOutcome.Failed(error));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                outcomes.AddRange(await CreateRunsAsync([.. runs[i].Select(create => (IReadOnlyList<ResourceCommit>)[create])], cancellationToken));
            }
        }

        return outcomes;
    }

    /// <summary>The creates split into runs: consecutive member-less creates together (at most <see cref="MaxCreateRun"/>), any other alone.</summary>
    private static List<IReadOnlyList<ResourceCommit>> CreateRuns(IReadOnlyList<ResourceCommit> creates)
    {
        var runs = new List<IReadOnlyList<ResourceCommit>>();
        List<ResourceCommit>? run = null;
        foreach (var create in creates)
        {
            if (create.Membership is { IsEmpty: false })
            {
                run = null;
                runs.Add([create]);
                continue;
            }

            if (run is null || run.Count == MaxCreateRun)
            {
                run = [];
                runs.Add(run);
            }

            run.Add(create);
        }

        return runs;
    }

    private static async Task<UnitOutcome<CommitResult[]>> ApplyRunAsync(SqliteWriteContext context, IReadOnlyList<ResourceCommit> run, CancellationToken cancellationToken)
    {
        var results = new CommitResult[run.Count];
        for (var i = 0; i < run.Count; i++)
        {
            // A create is always kept; a failing one throws, and the writer rolls the whole run back.
            results[i] = (await SqliteCommitSession.ApplyAsync(context, run[i], cancellationToken)).Value;
        }

        return new UnitOutcome<CommitResult[]>(results, true);
    }

    public async Task<QueryPage> QueryAsync(ResourceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Translate before touching the database: an unsupported filter fails fast with 400.
        var parameters = new SqlParameterBag();
        var translator = new QuerySqlTranslator(SqliteDialect.Instance, parameters, query.Kind, query.Schema, query.TenantId);
        var where = query.Filter is null ? "" : " AND " + translator.Filter(query.Filter);
        var orderBy = translator.OrderBy(query.Sort);

        // Keyset paging narrows the page, never the total: the count below runs without it.
        var keyset = query.After is null ? "" : " AND " + translator.Keyset(query.Sort, query.After);

        // kind is a literal (an enum, not client data) so the planner can use the partial per-kind indexes.
        var kind = query.Kind == ResourceKind.User ? KindLiterals.User : KindLiterals.Group;
        var from = $"FROM resources AS r WHERE r.tenant_id = @tenant AND r.kind = {kind}{where}";
        var offset = query.After is null ? Math.Max(query.StartIndex, 1) - 1 : 0;
        var count = Math.Max(query.Count, 0);

        await using var session = await RentReaderAsync(cancellationToken);

        // One deferred (read) transaction: the total and the page come from the same snapshot.
        using var transaction = session.Connection.BeginTransaction(deferred: true);
        var rows = new List<ResourceRow>();
        if (count > 0)
        {
            var page = QueryCommand(
                session,
                transaction,
                $"SELECT {ResourceColumns.SelectList} {from}{keyset} ORDER BY {orderBy} LIMIT @limit OFFSET @offset;",
                query.TenantId,
                parameters);
            page.Parameters.AddWithValue("@limit", count);
            page.Parameters.AddWithValue("@offset", offset);
            await using var reader = await page.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(SqliteRowReader.Read(reader));
            }
        }

        // A first page (no offset, no cursor) that came back short holds every match: it is the total, and a lookup
        // by userName or externalId needs no second statement.
        int total;
        if (query.After is null && offset == 0 && count > 0 && rows.Count < count)
        {
            total = rows.Count;
        }
        else
        {
            var countCommand = QueryCommand(session, transaction, $"SELECT COUNT(*) {from};", query.TenantId, parameters);
            total = Convert.ToInt32(await countCommand.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        // The page's users' groups from the same read transaction (so the same snapshot), on the same session.
        EntriesById<GroupMembershipEntry>? groups = null;
        if (query.WithGroups && query.Kind == ResourceKind.User)
        {
            groups = new EntriesById<GroupMembershipEntry>(rows.Select(r => r.Id));
            if (rows.Count > 0)
            {
                await ReadGroupsAsync(session, transaction, query.TenantId, groups, cancellationToken);
            }
        }

        return new QueryPage(total, rows, groups?.ToResult());
    }

    public async Task<IReadOnlyList<MemberEntry>> GetMembersAsync(string tenantId, string groupId, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var session = await RentReaderAsync(cancellationToken);
        var select = session.Prepared(MembersSql);
        select.Parameters.AddWithValue("@tenant", tenantId);
        select.Parameters.AddWithValue("@group", groupId);
        select.Parameters.AddWithValue("@limit", limit);
        var members = new List<MemberEntry>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new MemberEntry(reader.GetString(0), (ResourceKind)reader.GetInt32(1), SqliteRowReader.NullableString(reader, 2)));
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
            await using var session = await RentReaderAsync(cancellationToken);
            var select = session.Prepared(MembersOfGroupsSql);
            select.Parameters.AddWithValue("@tenant", tenantId);
            select.Parameters.AddWithValue("@groups", SqliteMembershipEditor.JsonArray(members.Ids));
            select.Parameters.AddWithValue("@limit", limitPerGroup);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                members.Add(
                    reader.GetString(0),
                    new MemberEntry(reader.GetString(1), (ResourceKind)reader.GetInt32(2), SqliteRowReader.NullableString(reader, 3)));
            }
        }

        return members.ToResult();
    }

    public async Task<int> CountMembersAsync(string tenantId, string groupId, CancellationToken cancellationToken = default)
    {
        await using var session = await RentReaderAsync(cancellationToken);
        var select = session.Prepared("SELECT COUNT(*) FROM memberships WHERE tenant_id = @tenant AND group_id = @group;");
        select.Parameters.AddWithValue("@tenant", tenantId);
        select.Parameters.AddWithValue("@group", groupId);
        return Convert.ToInt32(await select.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
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
            await using var session = await RentReaderAsync(cancellationToken);
            await ReadGroupsAsync(session, null, tenantId, groups, cancellationToken);
        }

        return groups.ToResult();
    }

    private static async Task ReadGroupsAsync(
        SqliteReadSession session, SqliteTransaction? transaction, string tenantId, EntriesById<GroupMembershipEntry> groups, CancellationToken cancellationToken)
    {
        var select = session.Prepared(GroupsOfMembersSql, transaction);
        select.Parameters.AddWithValue("@tenant", tenantId);
        select.Parameters.AddWithValue("@members", SqliteMembershipEditor.JsonArray(groups.Ids));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(reader.GetString(0), new GroupMembershipEntry(
                reader.GetString(1), SqliteRowReader.NullableString(reader, 2), reader.GetInt64(3) == 1));
        }
    }

    public async Task<string?> GetPasswordHashAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        await using var session = await RentReaderAsync(cancellationToken);
        var select = session.Prepared($"SELECT password_hash FROM resources WHERE tenant_id = @tenant AND kind = {KindLiterals.User} AND id = @id;");
        select.Parameters.AddWithValue("@tenant", tenantId);
        select.Parameters.AddWithValue("@id", userId);
        return await select.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadEventsAsync(string tenantId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var session = await RentReaderAsync(cancellationToken);
        var select = session.Prepared("SELECT seq, type, resource_kind, resource_id, occurred_at, data FROM events " +
            "WHERE tenant_id = @tenant AND seq > @after ORDER BY seq LIMIT @limit;");
        select.Parameters.AddWithValue("@tenant", tenantId);
        select.Parameters.AddWithValue("@after", afterSequence);
        select.Parameters.AddWithValue("@limit", limit);
        var events = new List<StoredEvent>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredEvent(
                reader.GetInt64(0),
                reader.GetString(1),
                (ResourceKind)reader.GetInt32(2),
                reader.GetString(3),
                StoreTime.FromUnixMicroseconds(reader.GetInt64(4)),
                SqliteRowReader.NullableString(reader, 5)));
        }

        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await _readers.DisposeAsync();
        await _writer.DisposeAsync();

        // Pooled connections would otherwise keep the file open (or a shared in-memory database alive).
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>
    /// A read session. The writer connection is opened first: for a shared in-memory database it is what keeps the
    /// database alive, and a file database gets its WAL mode from it before anything reads.
    /// </summary>
    private async Task<SqliteReadSession> RentReaderAsync(CancellationToken cancellationToken)
    {
        await _writer.EnsureOpenAsync(cancellationToken);
        return await _readers.RentAsync(cancellationToken);
    }

    private static SqliteCommand QueryCommand(SqliteReadSession session, SqliteTransaction transaction, string sql, string tenantId, SqlParameterBag parameters)
    {
        var command = session.Prepared(sql, transaction);
        command.Parameters.AddWithValue("@tenant", tenantId);
        foreach (var (name, value) in parameters.Values)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
