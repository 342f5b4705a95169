namespace ScimOrleans.Storage.Sqlite;

/// <summary>A unit of work waiting for the writer, seen without its result type.</summary>
internal interface IPendingUnit
{
    /// <summary>Runs the unit; true to keep its writes, false to roll them back. Its result waits for the commit.</summary>
    Task<bool> RunAsync(SqliteWriteContext context);

    /// <summary>Completes the caller with the result, once the transaction holding the unit has committed.</summary>
    void Publish();

    void Fail(Exception error);

    /// <summary>True when the unit must not run: its caller gave up (or was already answered) before it started.</summary>
    bool ShouldSkip();
}

/// <summary>A queued unit and the caller waiting for it.</summary>
internal sealed class PendingUnit<T>(
    Func<SqliteWriteContext, CancellationToken, Task<UnitOutcome<T>>> unit,
    CancellationToken cancellationToken) : IPendingUnit
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? result;

    public Task<T> Completion => completion.Task;

    public async Task<bool> RunAsync(SqliteWriteContext context)
    {
        var outcome = await unit(context, CancellationToken.None);
        result = outcome.Value;
        return outcome.Keep;
    }

    public void Publish() => completion.TrySetResult(result!);

    public void Fail(Exception error) => completion.TrySetException(error);

    public bool ShouldSkip() =>
        completion.Task.IsCompleted || (cancellationToken.IsCancellationRequested && completion.TrySetCanceled(cancellationToken));

    /// <summary>The caller stopped waiting: mark the unit so a later batch skips it.</summary>
    public void Withdraw() => completion.TrySetCanceled(cancellationToken);
}
