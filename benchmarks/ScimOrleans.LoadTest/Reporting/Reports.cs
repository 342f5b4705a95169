using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScimOrleans.LoadTest.Driver;
using ScimOrleans.LoadTest.Workloads;

namespace ScimOrleans.LoadTest.Reporting;

internal sealed class TargetResult
{
    public required string Target { get; init; }

    public required string Description { get; init; }

    public bool InProcess { get; init; }

    public int Users { get; set; }

    public List<PhaseResult> Phases { get; } = [];

    /// <summary>This process after a full GC once every user is provisioned (in-process targets only).</summary>
    public MemorySample? ProvisionedMemory { get; set; }

    public PhaseResult? Phase(string name) => Phases.FirstOrDefault(p => p.Phase == name);
}

internal sealed class RunReport(MachineInfo machine, LoadOptions options)
{
    public MachineInfo Machine { get; } = machine;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public int Users { get; } = options.Users;

    public int Groups { get; } = options.Groups;

    public int Concurrency { get; } = options.Concurrency;

    /// <summary>The in-process servers' extra configuration (<c>--server-setting</c>), as KEY=VALUE.</summary>
    public List<string> ServerSettings { get; } = [.. options.ServerSettings.Select(setting => $"{setting.Key}={setting.Value}")];

    public List<TargetResult> Targets { get; } = [];
}

internal sealed record MachineInfo(int ProcessorCount, string CpuModel, string TotalMemory, string Os, string Runtime, string GcMode)
{
    public static MachineInfo Describe()
    {
        var cpu = "unknown";
        var memory = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
            memory = total?.Split(':', 2)[1].Trim() ?? memory;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return new MachineInfo(
            Environment.ProcessorCount,
            cpu,
            memory,
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            System.Runtime.GCSettings.IsServerGC ? "server" : "workstation");
    }
}

/// <summary>The comparison: each server phase as a ratio to both ceilings, with the issue's targets.</summary>
internal static class Comparison
{
    /// <summary>Phase, the ceiling its target compares with, the minimum ratio, and what the throughput counts.</summary>
    public static readonly (string Phase, string? Ceiling, double Ratio, string Note)[] Targets =
    [
        ("create-user", "durable", 0.5, "users/s"),
        ("sync-user", null, 0, "filter+create pairs/s"),
        ("create-group", null, 0, "groups/s"),
        ("add-member-1", "durable", 0.5, "PATCHes/s (1 member each)"),
        ("add-member-100", null, 0, "members/s (100 per PATCH, one group)"),
        ("group-add-1@1k", null, 0, "PATCHes/s into one ~1k group"),
        ("group-add-1@big", null, 0, "PATCHes/s into one ~N group"),
        ("get-by-id", "memory", 0.5, "GETs/s"),
        ("lookup", "durable", 0.5, "lookups/s; p99 < 10 ms"),
        ("patch-mix", null, 0, "PATCHes/s"),
        ("page-walk", "durable", 0.5, "resources/s"),
        ("deactivate", "durable", 0.5, "PATCHes/s"),
    ];

    public static double Throughput(PhaseResult phase) => phase.Units > 0 ? phase.UnitsPerSecond : phase.ItemsPerSecond;

    public static OperationResult? MainOperation(PhaseResult phase) =>
        phase.Operations.Where(o => o.Operation != "(exception)").OrderByDescending(o => o.Operation is "sync-create").ThenByDescending(o => o.Count).FirstOrDefault();
}

internal static class ConsoleReport
{
    public static void PrintPhase(PhaseResult phase, string? target = null)
    {
        var line = new StringBuilder();
        if (target is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $"  {target,-8}");
        }

        line.Append(CultureInfo.InvariantCulture, $"  {phase.Phase,-18} {phase.Completed,7}/{phase.Planned,-7} {phase.Seconds,7:F1}s {phase.ItemsPerSecond,9:F0} items/s");
        if (phase.Units > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $" ({phase.UnitsPerSecond:F0} units/s)");
        }

        if (phase.Memory is { } memory)
        {
            line.Append(CultureInfo.InvariantCulture, $"  cpu {memory.CpuPercent:F0}% (machine {memory.MachineCpuPercent:F0}%)");
        }

        if (phase.GroupsCache is { Hits: > 0 } or { Misses: > 0 })
        {
            line.Append(CultureInfo.InvariantCulture, $"  groups cache {phase.GroupsCache.Hits} hits / {phase.GroupsCache.Misses} walks");
        }

        if (phase.TimedOut)
        {
            line.Append(" [phase time limit reached]");
        }

        Console.WriteLine(line);
        foreach (var op in phase.Operations)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"      {op.Operation,-16} n={op.Count,-7} err={op.Errors,-5} {op.PerSecond,8:F0}/s  p50 {op.P50Ms,7:F2}  p95 {op.P95Ms,7:F2}  p99 {op.P99Ms,7:F2}  max {op.MaxMs,8:F1} ms"));
        }

        foreach (var error in phase.Errors)
        {
            Console.WriteLine("      ! " + error);
        }
    }

    public static void PrintTarget(TargetResult result)
    {
        Console.WriteLine();
        Console.WriteLine($"--- {result.Target}: {result.Users} users ---");
        if (result.InProcess && result.Phases.Count > 0)
        {
            var peak = result.Phases.Max(p => p.Memory?.PeakWorkingSetBytes ?? 0);
            var heap = result.Phases.Max(p => p.Memory?.PeakGcHeapBytes ?? 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    process peak working set {peak / 1048576.0:F0} MiB, peak GC heap {heap / 1048576.0:F0} MiB (server + driver in one process)"));
        }
    }

    /// <summary>One comparison table per server target (embedded, cluster, remote), each against the same ceilings.</summary>
    public static void PrintComparison(RunReport report)
    {
        var memory = report.Targets.FirstOrDefault(t => t.Target == "memory");
        var durable = report.Targets.FirstOrDefault(t => t.Target == "durable");
        var servers = report.Targets.Where(t => t.Target is "embedded" or "cluster" or "remote").ToList();
        if (servers.Count == 0)
        {
            PrintComparison(report, null, memory, durable);
        }

        foreach (var server in servers)
        {
            PrintComparison(report, server, memory, durable);
        }
    }

    private static void PrintComparison(RunReport report, TargetResult? server, TargetResult? memory, TargetResult? durable)
    {
        Console.WriteLine();
        Console.WriteLine($"=== comparison, server = {server?.Target ?? "none"} ({report.Concurrency} clients, {report.Users} users; medians are not possible in one run: compare ratios within this run) ===");
        if (report.ServerSettings.Count > 0)
        {
            Console.WriteLine($"server settings: {string.Join(", ", report.ServerSettings)}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"phase",-17} {"server",9} {"memory",9} {"durable",9} {"srv/mem",8} {"srv/dur",8} {"srv p99",8} {"dur p99",8}  target"));
        foreach (var (phaseName, ceiling, ratio, note) in Comparison.Targets)
        {
            var s = server?.Phase(phaseName);
            var m = memory?.Phase(phaseName);
            var d = durable?.Phase(phaseName);
            if (s is null && m is null && d is null)
            {
                continue;
            }

            string Rate(PhaseResult? p) => p is null ? "-" : Comparison.Throughput(p).ToString("F0", CultureInfo.InvariantCulture);
            string Ratio(PhaseResult? p) => s is null || p is null ? "-" : (Comparison.Throughput(s) / Comparison.Throughput(p)).ToString("P0", CultureInfo.InvariantCulture);
            string P99(PhaseResult? p) => p is null || Comparison.MainOperation(p) is not { } op ? "-" : op.P99Ms.ToString("F1", CultureInfo.InvariantCulture);
            var verdict = "";
            if (ceiling is not null && s is not null)
            {
                var against = ceiling == "memory" ? m : d;
                if (against is not null)
                {
                    var actual = Comparison.Throughput(s) / Comparison.Throughput(against);
                    var met = actual >= ratio;
                    if (phaseName == "lookup" && Comparison.MainOperation(s) is { } op)
                    {
                        met &= op.P99Ms < 10;
                    }

                    verdict = $"{(met ? "MET" : "MISSED")} (≥{ratio:P0} {ceiling})";
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{phaseName,-17} {Rate(s),9} {Rate(m),9} {Rate(d),9} {Ratio(m),8} {Ratio(d),8} {P99(s),8} {P99(d),8}  {verdict} {note}"));
        }

        if (server?.Phase("group-add-1@1k") is { } small && server.Phase("group-add-1@big") is { } big
            && Comparison.MainOperation(small) is { } smallOp && Comparison.MainOperation(big) is { } bigOp)
        {
            var factor = bigOp.MeanMs / Math.Max(smallOp.MeanMs, 1e-9);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"single-member add, big group vs 1k group: mean {bigOp.MeanMs:F2} ms vs {smallOp.MeanMs:F2} ms = {factor:F2}x  {(factor <= 1.5 ? "MET" : "MISSED")} (≤1.5x)"));
        }

        if (server?.Phase(Scenario.BulkPhase) is { } bulk && server.Phase("create-user") is { } single)
        {
            var factor = bulk.UnitsPerSecond / Math.Max(single.ItemsPerSecond, 1e-9);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bulk-create vs create-user (server; the ceilings have no /Bulk): {bulk.UnitsPerSecond:F0} vs {single.ItemsPerSecond:F0} users/s = {factor:F2}x  {(factor >= 3 ? "MET" : "MISSED")} (>=3x)"));
        }

        if (server?.ProvisionedMemory is { } provisioned)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server process with {server.Users} users provisioned, after full GC: working set {provisioned.EndWorkingSetBytes / 1048576.0:F0} MiB, GC heap {provisioned.EndGcHeapBytes / 1048576.0:F0} MiB; peak during the run {server.Phases.Max(p => p.Memory?.PeakWorkingSetBytes ?? 0) / 1048576.0:F0} MiB"));
        }
    }
}

internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task WriteAsync(RunReport report, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, Options);
    }
}
