using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace ScimOrleans.LoadTest.Ceilings;

/// <summary>
/// The durable ceiling: one PostgreSQL statement per request, autocommit (one INSERT per create, one UPDATE per PATCH,
/// one INSERT … SELECT per member add, one indexed SELECT per lookup; a page is one SELECT … LIMIT/OFFSET plus a
/// count in the same round trip).
/// </summary>
internal sealed class DurableCeilingStore(string connectionString, string durability) : ICeilingStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS users (
            tenant text NOT NULL,
            id text NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            user_name_key text NOT NULL,
            doc jsonb NOT NULL,
            PRIMARY KEY (tenant, id));
        CREATE UNIQUE INDEX IF NOT EXISTS ux_users_user_name ON users (tenant, user_name_key);
        CREATE INDEX IF NOT EXISTS ix_users_seq ON users (tenant, seq);
        CREATE TABLE IF NOT EXISTS groups (
            tenant text NOT NULL,
            id text NOT NULL,
            display_name_key text NOT NULL,
            doc jsonb NOT NULL,
            PRIMARY KEY (tenant, id));
        CREATE UNIQUE INDEX IF NOT EXISTS ux_groups_display_name ON groups (tenant, display_name_key);
        CREATE TABLE IF NOT EXISTS memberships (
            tenant text NOT NULL,
            group_id text NOT NULL,
            member_id text NOT NULL,
            PRIMARY KEY (tenant, group_id, member_id));
        TRUNCATE users, groups, memberships;
        """;

    private readonly NpgsqlDataSource dataSource = new NpgsqlDataSourceBuilder(
        new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 128, NoResetOnClose = true }.ConnectionString).Build();

    public string Description => $"durable ceiling: Kestrel + System.Text.Json + Npgsql, PostgreSQL ({durability})";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Schema);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> CreateUserAsync(string tenant, string id, string userNameKey, JsonObject document, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand(
            "INSERT INTO users (tenant, id, user_name_key, doc) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userNameKey });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = document.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<string?> GetUserAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand("SELECT doc FROM users WHERE tenant = $1 AND id = $2");
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        return await select.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<string>> FindByUserNameAsync(string tenant, string userNameKey, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand("SELECT doc FROM users WHERE tenant = $1 AND user_name_key = $2");
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = userNameKey });
        return await ReadStringsAsync(select, cancellationToken);
    }

    public async Task<(int Total, IReadOnlyList<string> Documents)> PageAsync(string tenant, int offset, int count, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var page = new NpgsqlBatchCommand("SELECT doc FROM users WHERE tenant = $1 ORDER BY seq LIMIT $2 OFFSET $3");
        page.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        page.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });
        var total = new NpgsqlBatchCommand("SELECT count(*)::int FROM users WHERE tenant = $1");
        total.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        batch.BatchCommands.Add(page);
        batch.BatchCommands.Add(total);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var documents = new List<string>(count);
        while (await reader.ReadAsync(cancellationToken))
        {
            documents.Add(reader.GetString(0));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt32(0), documents);
    }

    public async Task<string?> PatchUserAsync(string tenant, string id, IReadOnlyList<AttributeSet> sets, CancellationToken cancellationToken)
    {
        var expression = new StringBuilder("doc");
        await using var update = dataSource.CreateCommand();
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        update.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        foreach (var set in sets)
        {
            var value = new NpgsqlParameter<string> { TypedValue = set.Value?.ToJsonString() ?? "null", NpgsqlDbType = NpgsqlDbType.Jsonb };
            update.Parameters.Add(value);
            var valueRef = "$" + update.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (set.Path is null)
            {
                expression.Insert(0, '(').Append(" || ").Append(valueRef).Append(')');
            }
            else
            {
                update.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = set.Path, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                var pathRef = "$" + update.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                expression.Insert(0, "jsonb_set(").Append(", ").Append(pathRef).Append(", ").Append(valueRef).Append(", true)");
            }
        }

        update.CommandText = $"UPDATE users SET doc = {expression} WHERE tenant = $1 AND id = $2 RETURNING doc";
        return await update.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<bool> CreateGroupAsync(string tenant, string id, string displayNameKey, JsonObject document, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand(
            "INSERT INTO groups (tenant, id, display_name_key, doc) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = displayNameKey });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = document.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> AddMembersAsync(string tenant, string groupId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
    {
        // One statement: only existing users become members, and only of an existing group.
        await using var insert = dataSource.CreateCommand(
            "INSERT INTO memberships (tenant, group_id, member_id) " +
            "SELECT $1, $2, u.id FROM users AS u WHERE u.tenant = $1 AND u.id = ANY($3) " +
            "AND EXISTS (SELECT 1 FROM groups AS g WHERE g.tenant = $1 AND g.id = $2) ON CONFLICT DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = groupId });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. memberIds] });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private static async Task<IReadOnlyList<string>> ReadStringsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<string>(1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }
}
