namespace ScimOrleans.LoadTest.Driver;

/// <summary>
/// Interleaves several targets' scenarios phase by phase (phase 1 on target A, then B, then C, then phase 2 on A, …),
/// so that every phase's measurements on the different targets are taken within seconds of each other: on a shared,
/// noisy machine that keeps the ratios honest. One phase runs at a time.
/// </summary>
internal sealed class PhaseTurns(int targets)
{
    private readonly Lock gate = new();
    private readonly bool[] finished = new bool[targets];
    private int phase;
    private int target;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits until it is <paramref name="me"/>'s turn for its <paramref name="myPhase"/>-th phase.</summary>
    public async Task WaitAsync(int me, int myPhase, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (gate)
            {
                if ((phase == myPhase && target == me) || AllFinishedExcept(me))
                {
                    return;
                }

                wait = changed.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Ends <paramref name="me"/>'s current turn.</summary>
    public void Done(int me)
    {
        lock (gate)
        {
            if (target == me)
            {
                Advance();
            }
        }
    }

    /// <summary><paramref name="me"/> has no more phases: its turns are skipped from now on.</summary>
    public void Finish(int me)
    {
        lock (gate)
        {
            finished[me] = true;
            if (target == me)
            {
                Advance();
            }
            else
            {
                Signal();
            }
        }
    }

    private bool AllFinishedExcept(int me)
    {
        for (var i = 0; i < finished.Length; i++)
        {
            if (i != me && !finished[i])
            {
                return false;
            }
        }

        return true;
    }

    private void Advance()
    {
        for (var step = 0; step < finished.Length; step++)
        {
            target++;
            if (target == finished.Length)
            {
                target = 0;
                phase++;
            }

            if (!finished[target])
            {
                break;
            }
        }

        Signal();
    }

    private void Signal()
    {
        var previous = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.SetResult();
    }
}
