using System.Diagnostics;

namespace ScimOrleans.LoadTest.Driver;

internal sealed record PhaseResult
{
    public required string Phase { get; init; }

    public int Planned { get; init; }

    public int Completed { get; init; }

    public int Concurrency { get; init; }

    public double Seconds { get; init; }

    public bool TimedOut { get; init; }

    /// <summary>Phase-specific units (resources read by a page walk, members added by bulk PATCHes), 0 when none.</summary>
    public long Units { get; init; }

    public double ItemsPerSecond => Completed / Math.Max(Seconds, 1e-9);

    public double UnitsPerSecond => Units / Math.Max(Seconds, 1e-9);

    public required IReadOnlyList<OperationResult> Operations { get; init; }

    public required IReadOnlyList<string> Errors { get; init; }

    public MemorySample? Memory { get; init; }

    /// <summary>The in-process server's groups cache during the phase; null for other targets.</summary>
    public GroupsCacheSample? GroupsCache { get; init; }
}

/// <summary>Reads of users' <c>groups</c> a server answered from memory and those that walked its store, in one phase.</summary>
internal sealed record GroupsCacheSample(long Hits, long Misses);

internal sealed class OperationResult
{
    public required string Operation { get; init; }

    public int Count { get; init; }

    public int Errors { get; init; }

    public double PerSecond { get; init; }

    public double MeanMs { get; init; }

    public double P50Ms { get; init; }

    public double P95Ms { get; init; }

    public double P99Ms { get; init; }

    public double MaxMs { get; init; }
}

/// <summary>This process's memory during a phase (server + driver when the target runs in-process).</summary>
internal sealed class MemorySample
{
    public long PeakWorkingSetBytes { get; init; }

    public long EndWorkingSetBytes { get; init; }

    public long PeakGcHeapBytes { get; init; }

    public long EndGcHeapBytes { get; init; }

    /// <summary>CPU time this process used during the phase, in % of one core (200 = both cores of a 2-core machine busy).</summary>
    public double CpuPercent { get; init; }

    /// <summary>The whole machine's busy CPU during the phase (all processes, e.g. PostgreSQL too), in % of one core.</summary>
    public double MachineCpuPercent { get; init; }
}

/// <summary>Samples this process's working set and GC heap every 250 ms.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Timer timer;
    private long peakWorkingSet;
    private long peakHeap;
    private readonly TimeSpan cpuAtStart = CurrentCpu();
    private readonly long startedAt = Stopwatch.GetTimestamp();
    private readonly (long Busy, long Total) machineAtStart = MachineCpu();

    private MemorySampler()
    {
        timer = new Timer(_ => Sample(), null, 0, 250);
    }

    public static MemorySampler Start() => new();

    public MemorySample Stop()
    {
        timer.Change(Timeout.Infinite, Timeout.Infinite);
        Sample();
        return new MemorySample
        {
            PeakWorkingSetBytes = Interlocked.Read(ref peakWorkingSet),
            EndWorkingSetBytes = CurrentWorkingSet(),
            PeakGcHeapBytes = Interlocked.Read(ref peakHeap),
            EndGcHeapBytes = GC.GetTotalMemory(false),
            CpuPercent = 100 * (CurrentCpu() - cpuAtStart).TotalSeconds / Math.Max(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, 1e-9),
            MachineCpuPercent = MachinePercent(machineAtStart, MachineCpu()),
        };
    }

    public void Dispose() => timer.Dispose();

    /// <summary>Working set and heap after a full blocking collection: what the process really keeps.</summary>
    public static MemorySample Settled()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var ws = CurrentWorkingSet();
        var heap = GC.GetTotalMemory(false);
        return new MemorySample { PeakWorkingSetBytes = ws, EndWorkingSetBytes = ws, PeakGcHeapBytes = heap, EndGcHeapBytes = heap };
    }

    /// <summary>Busy and total jiffies of all CPUs from /proc/stat (zeros where it does not exist).</summary>
    private static (long Busy, long Total) MachineCpu()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            var total = fields.Sum();
            return (total - idle, total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
        catch (UnauthorizedAccessException)
        {
            return (0, 0);
        }
    }

    private static double MachinePercent((long Busy, long Total) start, (long Busy, long Total) end) =>
        end.Total <= start.Total ? 0 : 100.0 * Environment.ProcessorCount * (end.Busy - start.Busy) / (end.Total - start.Total);

    private static TimeSpan CurrentCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static long CurrentWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private void Sample()
    {
        var ws = CurrentWorkingSet();
        var heap = GC.GetTotalMemory(false);
        InterlockedMax(ref peakWorkingSet, ws);
        InterlockedMax(ref peakHeap, heap);
    }

    private static void InterlockedMax(ref long location, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref location)) < value && Interlocked.CompareExchange(ref location, value, current) != current)
        {
        }
    }
}
