using System.Data;
using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// The per-tenant event feed: gap-free and in visibility order under any number of concurrent writers on any number
/// of silos, without serialising a tenant's writes.
/// </summary>
/// <remarks>
/// <para>
/// Why not just a bigserial: ids are drawn when a transaction inserts, but transactions become visible when they
/// commit, in another order. A reader polling "id &gt; cursor" can see id 6 committed while id 5 is still in flight,
/// advance its cursor to 6 and skip 5 forever.
/// </para>
/// <para>
/// So writers (<see cref="PostgresEventAppender"/>) insert events with <c>position</c> NULL and take no shared lock.
/// A read first publishes: in a short transaction holding <c>pg_advisory_xact_lock(FeedLockClass, hashtext(tenant))</c>
/// it gives the tenant's committed, unpublished events the next positions max(position) + 1, + 2, … in id order
/// (so one commit's events keep their order), and in the same statement returns the events after the cursor.
/// Positions are only ever assigned under the lock, each publisher sees every earlier publisher's work (its statement
/// snapshot is taken after it obtains the lock, which the earlier one released only by committing), and a publisher's
/// positions become visible all at once; so readers only ever see a contiguous prefix 1..n, a position never changes
/// once handed out, and an event that commits late simply gets a later position. Only readers of one tenant contend on
/// its lock, for the few milliseconds a publish takes.
/// </para>
/// <para>
/// Positions restart at 1 for a tenant that is deleted and created again: its feed starts over.
/// </para>
/// </remarks>
internal sealed class PostgresEventFeed(NpgsqlDataSource dataSource, int minPublishBatch)
{
    /// <summary>
    /// The first key of the two-key advisory lock space the feed locks in; PostgreSQL keeps that space apart from
    /// single-bigint keys (the migrator's and the Orleans installer's), so the per-tenant hash cannot collide with them.
    /// </summary>
    public const int FeedLockClass = 0x5C1F_EED0;

    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(string tenantId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

        // Two statements, because each READ COMMITTED statement reads the snapshot taken when it starts: the publish
        // must start after the lock is granted to see the positions the previous holder committed.
        await using var batch = new NpgsqlBatch(connection, transaction);
        var takeLock = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(@class, hashtext(@tenant));");
        takeLock.Parameters.AddValue("class", FeedLockClass);
        takeLock.Parameters.AddValue("tenant", tenantId);
        batch.BatchCommands.Add(takeLock);

        // Rows this statement publishes still read as unpublished (NULL) in its own snapshot, so the already-published
        // branch and the RETURNING branch never overlap.
        var publishAndRead = new NpgsqlBatchCommand(
            "WITH head AS (" +
            " SELECT COALESCE(MAX(position), 0) AS last FROM events WHERE tenant_id = @tenant" +
            "), pending AS (" +
            " SELECT id, row_number() OVER (ORDER BY id) AS n FROM events" +
            " WHERE tenant_id = @tenant AND position IS NULL ORDER BY id LIMIT @batch" +
            "), published AS (" +
            " UPDATE events AS e SET position = head.last + pending.n FROM pending, head" +
            " WHERE e.tenant_id = @tenant AND e.id = pending.id" +
            $" RETURNING e.{PostgresRowReader.EventSelectList.Replace(", ", ", e.", StringComparison.Ordinal)}" +
            ") " +
            $"SELECT {PostgresRowReader.EventSelectList} FROM (" +
            $" SELECT {PostgresRowReader.EventSelectList} FROM events WHERE tenant_id = @tenant AND position > @after" +
            " UNION ALL" +
            $" SELECT {PostgresRowReader.EventSelectList} FROM published WHERE position > @after" +
            ") AS feed ORDER BY position LIMIT @limit;");
        publishAndRead.Parameters.AddValue("tenant", tenantId);
        publishAndRead.Parameters.AddValue("batch", Math.Max(limit, minPublishBatch));
        publishAndRead.Parameters.AddValue("after", afterSequence);
        publishAndRead.Parameters.AddValue("limit", limit);
        batch.BatchCommands.Add(publishAndRead);

        var events = new List<StoredEvent>(Math.Min(limit, 1_000));
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // The first result is the lock's single void row.
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                events.Add(PostgresRowReader.ReadEvent(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return events;
    }
}
