using Npgsql;
using ScimOrleans.Storage.Sql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// The version bumps a group gets when another resource's commit changes its members (a user deactivated or deleted,
/// a group deleted), kept as appended rows in <c>group_bumps</c> rather than as updates of the group's row, so that a
/// wave of such commits touching one group (every user is in "All employees") does not queue on that row's lock.
/// Readers see a group through the <c>group_resources</c> view (row version plus its bumps, lastModified the later of
/// the row's and theirs); the group's own writes, and its loads by its grain, fold its bumps into its row. See
/// <c>db/postgresql/scim/004_group_bumps.sql</c>.
/// </summary>
internal static class PostgresGroupBumps
{
    /// <summary>The view readers take groups from.</summary>
    public const string GroupView = "group_resources";

    /// <summary>
    /// Moves the group's bumps into its row: deletes them and adds their count to its version in one statement, so the
    /// effective version is unchanged by folding. Writes (and locks) the row only when there was something to fold.
    /// Run by the group's own writes before they lock and check the row's version, and before a load of the group.
    /// </summary>
    private static readonly string FoldSql =
        "WITH folded AS (DELETE FROM group_bumps WHERE tenant_id = @tenant AND group_id = @id RETURNING bumped_at) " +
        "UPDATE resources SET version = version + (SELECT count(*) FROM folded), " +
        "last_modified = GREATEST(last_modified, (SELECT max(bumped_at) FROM folded)) " +
        $"WHERE tenant_id = @tenant AND kind = {KindLiterals.Group} AND id = @id AND EXISTS (SELECT 1 FROM folded);";

    /// <summary>The table or view a resource of <paramref name="kind"/> is read from (alias it as the caller likes).</summary>
    public static string ReadSource(ResourceKind kind) => kind == ResourceKind.Group ? GroupView : "resources";

    /// <summary>The condition, on the alias <paramref name="row"/>, that a group has no bumps waiting to be folded.</summary>
    public static string NoneWaiting(string row) =>
        $"NOT EXISTS (SELECT 1 FROM group_bumps AS b WHERE b.tenant_id = {row}.tenant_id AND b.group_id = {row}.id)";

    /// <summary>The statement folding a group's bumps into its row (see <see cref="FoldSql"/>).</summary>
    public static NpgsqlBatchCommand FoldCommand(string tenantId, string groupId)
    {
        var fold = new NpgsqlBatchCommand(FoldSql);
        fold.Parameters.AddValue("tenant", tenantId);
        fold.Parameters.AddValue("id", groupId);
        return fold;
    }

    /// <summary>The statement bumping groups whose edges changed as a side effect, or null when there is none.</summary>
    public static NpgsqlBatchCommand? BumpCommand(string tenantId, IReadOnlyList<string> groupIds, DateTimeOffset at)
    {
        if (groupIds.Count == 0)
        {
            return null;
        }

        var bump = new NpgsqlBatchCommand("INSERT INTO group_bumps (tenant_id, group_id, bumped_at) SELECT @tenant, g, @at FROM unnest(@ids) AS g;");
        bump.Parameters.AddValue("tenant", tenantId);
        bump.Parameters.AddValue("at", PostgresValues.Time(at));
        bump.Parameters.AddValue("ids", groupIds.ToArray());
        return bump;
    }

    /// <summary>The statement dropping the bumps of a group being deleted.</summary>
    public static NpgsqlBatchCommand DeleteCommand(string tenantId, string groupId)
    {
        var delete = new NpgsqlBatchCommand("DELETE FROM group_bumps WHERE tenant_id = @tenant AND group_id = @group;");
        delete.Parameters.AddValue("tenant", tenantId);
        delete.Parameters.AddValue("group", groupId);
        return delete;
    }
}
