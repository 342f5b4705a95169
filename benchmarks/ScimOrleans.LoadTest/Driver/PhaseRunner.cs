using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ScimOrleans.LoadTest.Driver;

/// <summary>
/// Runs one phase: <c>count</c> items handed out to a fixed number of concurrent workers, stopped early at the phase's
/// deadline. Each item may issue several requests; every request is timed and recorded under its operation name.
/// </summary>
internal sealed class PhaseRunner(int concurrency, bool progress)
{
    public async Task<PhaseResult> RunAsync(
        string phase,
        int count,
        TimeSpan limit,
        Func<int, PhaseContext, Task> item,
        CancellationToken cancellationToken,
        int? concurrencyOverride = null)
    {
        var workers = Math.Min(concurrencyOverride ?? concurrency, Math.Max(count, 1));
        var context = new PhaseContext(count);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        using var memory = MemorySampler.Start();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        using var ticker = progress ? new Timer(_ => Report(phase, context, count, started), null, 1000, 1000) : null;

        async Task WorkerAsync()
        {
            int index;
            while (!deadline.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    await item(index, context);
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException or InvalidOperationException or FormatException
                    or System.Text.Json.JsonException or KeyNotFoundException)
                {
                    context.Fail("(exception)", error.GetType().Name + ": " + error.Message);
                }

                Interlocked.Increment(ref context.Completed);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkerAsync, CancellationToken.None)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (progress)
        {
            Console.Error.Write("\r" + new string(' ', 100) + "\r");
        }

        var result = new PhaseResult
        {
            Phase = phase,
            Planned = count,
            Completed = context.Completed,
            Concurrency = workers,
            Seconds = elapsed.TotalSeconds,
            TimedOut = context.Completed < count && !cancellationToken.IsCancellationRequested,
            Units = context.Units,
            Operations = context.Operations.Values.OrderBy(o => o.Name, StringComparer.Ordinal).Select(o => o.Summarize(elapsed)).ToList(),
            Errors = [.. context.ErrorSamples.Take(5)],
            Memory = memory.Stop(),
        };
        return result;
    }

    private static void Report(string phase, PhaseContext context, int count, long started)
    {
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var done = Volatile.Read(ref context.Completed);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"  [{phase}] {done}/{count}  {done / Math.Max(seconds, 0.001):F0} items/s  errors {context.ErrorCount}  {seconds:F0}s  ws {Environment.WorkingSet / (1024 * 1024)} MiB");
        Console.Error.Write("\r" + line.PadRight(100));
    }
}

/// <summary>Per-phase shared state: latency recorders by operation, error samples, completed items, extra units.</summary>
internal sealed class PhaseContext(int capacity)
{
    public int Completed;
    public long Units;
    private int errorCount;

    public ConcurrentDictionary<string, OperationRecorder> Operations { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> ErrorSamples { get; } = new();

    public int ErrorCount => Volatile.Read(ref errorCount);

    public void Record(string operation, long startTimestamp, bool ok, string? errorDetail = null)
    {
        var elapsed = Stopwatch.GetTimestamp() - startTimestamp;
        Operations.GetOrAdd(operation, name => new OperationRecorder(name, capacity)).Add(elapsed, ok);
        if (!ok)
        {
            Fail(operation, errorDetail ?? "failed");
        }
    }

    public void AddUnits(long units) => Interlocked.Add(ref Units, units);

    public void Fail(string operation, string detail)
    {
        if (Interlocked.Increment(ref errorCount) <= 5)
        {
            ErrorSamples.Enqueue($"{operation}: {detail}");
        }
    }
}

/// <summary>Latencies of one operation, in Stopwatch ticks, preallocated for the phase's planned item count.</summary>
internal sealed class OperationRecorder(string name, int capacity)
{
    private long[] samples = new long[Math.Max(capacity, 16)];
    private int count;
    private int errors;
    private readonly Lock gate = new();

    public string Name { get; } = name;

    public void Add(long ticks, bool ok)
    {
        if (!ok)
        {
            Interlocked.Increment(ref errors);
        }

        var index = Interlocked.Increment(ref count) - 1;
        if (index >= samples.Length)
        {
            lock (gate)
            {
                if (index >= samples.Length)
                {
                    Array.Resize(ref samples, Math.Max(samples.Length * 2, index + 1));
                }
            }
        }

        lock (gate)
        {
            samples[index] = ticks;
        }
    }

    public OperationResult Summarize(TimeSpan elapsed)
    {
        var n = Math.Min(count, samples.Length);
        var sorted = samples.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        double Ms(double quantile) => n == 0 ? 0 : sorted[Math.Min(n - 1, (int)Math.Ceiling(quantile * n) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new OperationResult
        {
            Operation = Name,
            Count = n,
            Errors = errors,
            PerSecond = n / Math.Max(elapsed.TotalSeconds, 1e-9),
            MeanMs = n == 0 ? 0 : sorted.Average() * 1000.0 / Stopwatch.Frequency,
            P50Ms = Ms(0.50),
            P95Ms = Ms(0.95),
            P99Ms = Ms(0.99),
            MaxMs = n == 0 ? 0 : sorted[^1] * 1000.0 / Stopwatch.Frequency,
        };
    }
}
