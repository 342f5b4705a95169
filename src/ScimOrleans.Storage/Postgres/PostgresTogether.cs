using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// What a batch of several commits in one implicit transaction comes to when it fails: all of it or none was written.
/// </summary>
internal static class PostgresTogether
{
    /// <summary>
    /// Runs <paramref name="write"/> for <paramref name="commits"/> commits. A PostgreSQL error (a taken name or id, a
    /// stale row, a deadlock, a value it cannot store) rolled the whole batch back: null, so the caller writes each commit
    /// alone and each gets its own outcome. A broken connection or unreachable server fails every commit with it, as it
    /// would have failed each alone.
    /// </summary>
    public static async Task<CommitOutcome[]?> TryAsync(int commits, Func<Task<CommitOutcome[]>> write)
    {
        try
        {
            return await write();
        }
        catch (PostgresException)
        {
            return null;
        }
        catch (NpgsqlException error)
        {
            return [.. Enumerable.Repeat(CommitOutcome.Failed(error), commits)];
        }
    }
}
