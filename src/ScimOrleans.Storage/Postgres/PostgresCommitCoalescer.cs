namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Group commit for commits of one shape (single creates; updates that take one round trip): commits that arrive while
/// others are being written (each from its own grain, e.g. an IdP's parallel POSTs or PATCHes) wait for the next batch
/// and are written together, in one round trip and one transaction.
/// </summary>
/// <remarks>
/// At most <see cref="MaxInFlight"/> batches are written at a time; whatever arrives meanwhile forms the next one, so a
/// lone commit goes out at once and a crowd shares round trips: batches grow with the load, not with a timer. A batch
/// that fails as a whole (a taken userName, a stale row, a deadlock) is split in halves down to single commits, which
/// are written alone, so each commit gets exactly the outcome it would have had alone; a lost connection fails every
/// commit of the batch, as it would each alone. A caller is answered only after its transaction committed (or failed).
/// </remarks>
internal sealed class PostgresCommitCoalescer(
    Func<IReadOnlyList<ResourceCommit>, CancellationToken, Task<CommitOutcome[]?>> writeTogether,
    Func<ResourceCommit, CancellationToken, Task<CommitResult>> writeAlone)
{
    /// <summary>Batches written at the same time: enough to keep the round trips overlapping, few enough to batch.</summary>
    public const int MaxInFlight = 4;

    /// <summary>Commits per batch; the rest wait for the next one.</summary>
    public const int MaxBatch = 64;

    private readonly Lock gate = new();
    private readonly Queue<Pending> waiting = new();
    private int inFlight;

    /// <summary>Writes <paramref name="commit"/> with whatever commits arrive with it.</summary>
    public Task<CommitResult> CommitAsync(ResourceCommit commit)
    {
        var pending = new Pending(commit, new TaskCompletionSource<CommitResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        var startWriter = false;
        lock (gate)
        {
            waiting.Enqueue(pending);
            if (inFlight < MaxInFlight)
            {
                inFlight++;
                startWriter = true;
            }
        }

        if (startWriter)
        {
            // On the thread pool, not on the calling grain's scheduler: the writer serves many grains.
            _ = Task.Run(WriteWhileWaitingAsync);
        }

        return pending.Completion.Task;
    }

    private async Task WriteWhileWaitingAsync()
    {
        while (TakeBatch() is { } batch)
        {
            try
            {
                await WriteAsync(batch);
            }
            catch (Exception error)
            {
                // Not expected (every outcome is caught where it happens), but no caller may wait forever, nor may
                // this writer's slot be lost: whoever is still waiting fails, and the writer goes on.
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(error);
                }
            }
        }
    }

    private Pending[]? TakeBatch()
    {
        lock (gate)
        {
            if (waiting.Count == 0)
            {
                inFlight--;
                return null;
            }

            var batch = new Pending[Math.Min(waiting.Count, MaxBatch)];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = waiting.Dequeue();
            }

            return batch;
        }
    }

    /// <summary>
    /// Writes <paramref name="batch"/> together; if that fails as a whole, each half again, down to single commits,
    /// which are written alone and get their own outcome (one taken userName costs a few round trips, not one per commit).
    /// </summary>
    private async Task WriteAsync(ArraySegment<Pending> batch)
    {
        if (batch.Count == 1)
        {
            try
            {
                batch[0].Completion.TrySetResult(await writeAlone(batch[0].Commit, CancellationToken.None));
            }
            catch (Exception error)
            {
                batch[0].Completion.TrySetException(error);
            }

            return;
        }

        // Not cancelled by one caller going away: the batch carries the others.
        CommitOutcome[]? outcomes;
        try
        {
            outcomes = await writeTogether([.. batch.Select(p => p.Commit)], CancellationToken.None);
        }
        catch (Exception error)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(error);
            }

            return;
        }

        if (outcomes is null)
        {
            var half = batch.Count / 2;
            await WriteAsync(batch[..half]);
            await WriteAsync(batch[half..]);
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            Complete(batch[i], outcomes[i]);
        }
    }

    private static void Complete(Pending pending, CommitOutcome outcome)
    {
        if (outcome.Result is { } result)
        {
            pending.Completion.TrySetResult(result);
        }
        else
        {
            pending.Completion.TrySetException(outcome.Error!);
        }
    }

    private sealed record Pending(ResourceCommit Commit, TaskCompletionSource<CommitResult> Completion);
}
