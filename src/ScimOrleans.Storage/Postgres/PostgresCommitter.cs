using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Applies one <see cref="ResourceCommit"/> as one READ COMMITTED transaction: the row, its edges and its events, all
/// or nothing. Rows are guarded by their version (checked under a row lock, or in the <c>DELETE</c>'s own
/// <c>WHERE</c>), uniqueness by the database's unique indexes; nothing tenant-wide is locked, so commits of different
/// resources from any number of silos run in parallel.
/// </summary>
/// <remarks>
/// Round trips are kept low because bulk provisioning is a stream of commits: statements whose results decide
/// nothing further (the row write, group bumps, the events) go out together as one batch. A create without members
/// is a single batch outside any explicit transaction, which PostgreSQL runs as one implicit transaction: one round
/// trip, and a failing statement still rolls back the others. So is an update without a membership edit
/// (<see cref="PostgresSingleTripUpdate"/>) and a group's member adds and removes (<see cref="PostgresSingleTripGroupEdit"/>).
/// Creates and one-round-trip updates that different grains commit at the same moment share their round trip and
/// transaction (<see cref="PostgresCommitCoalescer"/>).
/// </remarks>
internal sealed class PostgresCommitter
{
    /// <summary>Creates per optimistic batch: big enough to amortise the round trip, small enough to replay cheaply.</summary>
    private const int MaxCreateBatch = 250;

    private readonly NpgsqlDataSource dataSource;
    private readonly int maxAttempts;
    private readonly ILogger logger;
    private readonly PostgresCommitCoalescer creates;
    private readonly PostgresCommitCoalescer updates;

    public PostgresCommitter(NpgsqlDataSource dataSource, int maxAttempts, ILogger logger)
    {
        this.dataSource = dataSource;
        this.maxAttempts = maxAttempts;
        this.logger = logger;
        creates = new PostgresCommitCoalescer(TryCreateTogetherAsync, CommitWithRetriesAsync);
        updates = new PostgresCommitCoalescer((run, cancellationToken) => PostgresSingleTripUpdate.TryManyAsync(dataSource, run, cancellationToken), CommitWithRetriesAsync);
    }

    /// <summary>
    /// Applies <paramref name="commit"/>. A create without members, and an update that takes one round trip
    /// (<see cref="PostgresSingleTripUpdate"/>), are written together with the commits of their shape other grains make
    /// at the same moment (<see cref="PostgresCommitCoalescer"/>).
    /// </summary>
    public Task<CommitResult> CommitAsync(ResourceCommit commit, CancellationToken cancellationToken)
    {
        // The rules are the contract's, not an engine's: one implementation serves both stores.
        CommitRules.Validate(commit);
        if (commit.Action == CommitAction.Create && commit.Membership is null or { IsEmpty: true })
        {
            return creates.CommitAsync(commit);
        }

        return PostgresSingleTripUpdate.Applies(commit) ? updates.CommitAsync(commit) : CommitWithRetriesAsync(commit, cancellationToken);
    }

    private async Task<CommitResult> CommitWithRetriesAsync(ResourceCommit commit, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CommitOnceAsync(commit, cancellationToken);
            }
            catch (PostgresException error) when (PostgresErrors.IsRetryable(error) && attempt < maxAttempts)
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation(
                        "Commit of {Kind} {Id} in tenant {Tenant} was aborted by PostgreSQL ({SqlState}) and is retried (attempt {Attempt})",
                        commit.Kind, commit.Id, commit.TenantId, error.SqlState, attempt + 1);
                }

                // The victim wrote nothing. A short random pause lets the winner finish before the retry.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>
    /// <see cref="IScimStore.CreateManyAsync"/>: runs of consecutive creates without members are written optimistically,
    /// up to <see cref="MaxCreateBatch"/> at a time, as one batch in one implicit transaction (one round trip). Should
    /// one of them fail (a taken userName, say), that transaction wrote nothing and the run is replayed one create at a
    /// time, so each create gets exactly the outcome <see cref="CommitAsync"/> gives it, in list order. Creates with
    /// members take the single path: they lock the members they name.
    /// </summary>
    public async Task<IReadOnlyList<CommitOutcome>> CreateManyAsync(IReadOnlyList<ResourceCommit> creates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(creates);
        foreach (var create in creates)
        {
            CommitRules.ValidateCreate(create);
        }

        var outcomes = new CommitOutcome[creates.Count];
        var start = 0;
        while (start < creates.Count)
        {
            if (creates[start].Membership is { IsEmpty: false })
            {
                outcomes[start] = await CommitOneAsync(creates[start], cancellationToken);
                start++;
                continue;
            }

            var end = start;
            while (end < creates.Count && end - start < MaxCreateBatch && creates[end].Membership is null or { IsEmpty: true })
            {
                end++;
            }

            IReadOnlyList<ResourceCommit> run = [.. creates.Skip(start).Take(end - start)];
            if (await TryCreateTogetherAsync(run, cancellationToken) is { } written)
            {
                written.CopyTo(outcomes, start);
            }
            else
            {
                for (var i = start; i < end; i++)
                {
                    outcomes[i] = await CommitOneAsync(creates[i], cancellationToken);
                }
            }

            start = end;
        }

        return outcomes;
    }

    /// <summary>
    /// Writes every create of <paramref name="run"/> (of any tenants) in one implicit transaction, or nothing (null) if
    /// any fails (<see cref="PostgresTogether"/>).
    /// </summary>
    private async Task<CommitOutcome[]?> TryCreateTogetherAsync(IReadOnlyList<ResourceCommit> run, CancellationToken cancellationToken)
    {
        var events = new Dictionary<string, PostgresEventAppender>(StringComparer.Ordinal);
        await using var batch = dataSource.CreateBatch();
        foreach (var create in run)
        {
            batch.BatchCommands.Add(PostgresCommitSession.InsertCommand(create.Row!, create.PasswordHash));
            if (!events.TryGetValue(create.TenantId, out var tenantEvents))
            {
                tenantEvents = events[create.TenantId] = new PostgresEventAppender(create.TenantId, create.Row!.LastModified);
            }

            tenantEvents.Append(create.Events, create.Row!.LastModified);
        }

        foreach (var tenantEvents in events.Values)
        {
            PostgresCommitSession.AddIfAny(batch, tenantEvents.ToCommand());
        }

        return await PostgresTogether.TryAsync(run.Count, async () =>
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return [.. run.Select(create => CommitOutcome.Succeeded(
                new CommitResult(true, create.Row!.Version, StoreTime.Truncate(create.Row.LastModified), [], [])))];
        });
    }

    private async Task<CommitOutcome> CommitOneAsync(ResourceCommit create, CancellationToken cancellationToken)
    {
        try
        {
            return CommitOutcome.Succeeded(await CommitWithRetriesAsync(create, cancellationToken));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Reported for this create alone: the creates before it are written and must be reported as such.
            return CommitOutcome.Failed(error);
        }
    }

    private async Task<CommitResult> CommitOnceAsync(ResourceCommit commit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (commit.Action == CommitAction.Create && commit.Membership is null or { IsEmpty: true })
        {
            // The row and its events are one batch: no explicit transaction, PostgreSQL runs it as an implicit one.
            var (created, _) = await ResourceCommitter.ApplyAsync(
                new PostgresCommitSession(new PostgresWriteContext(connection, null)), commit, cancellationToken);
            return created;
        }

        if (PostgresSingleTripUpdate.Applies(commit)
            && await PostgresSingleTripUpdate.TryAsync(connection, commit, cancellationToken) is { } updated)
        {
            return updated;
        }

        if (PostgresSingleTripGroupEdit.Applies(commit)
            && await PostgresSingleTripGroupEdit.TryAsync(connection, commit, cancellationToken) is { } edited)
        {
            return edited;
        }

        // Anything else, or an update whose row turned out not to be at the expected version (the general path tells
        // a missing row from a stale copy).
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var context = new PostgresWriteContext(connection, transaction);
        var (result, keep) = await ResourceCommitter.ApplyAsync(new PostgresCommitSession(context), commit, cancellationToken);
        if (!keep)
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        else if (!context.Committed)
        {
            // Usually the commit's last batch carried the COMMIT already.
            await transaction.CommitAsync(cancellationToken);
        }

        return result;
    }
}
