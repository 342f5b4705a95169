using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace ScimOrleans.Benchmarks;

/// <summary>
/// One configuration for every benchmark: in-process (the repository's central package management and
/// warnings-as-errors would break BenchmarkDotNet's generated projects, and the macro benchmarks host a silo anyway),
/// MemoryDiagnoser, operations/second. <c>SCIM_BENCH_QUICK=1</c> selects a short job and the reduced parameter sets
/// (<see cref="Quick"/>) so the whole suite runs in minutes.
/// </summary>
public static class BenchmarkConfig
{
    public static bool Quick => Environment.GetEnvironmentVariable("SCIM_BENCH_QUICK") is "1" or "true";

    /// <summary>The full [Params] sets (100k tenants and groups) even with the quick job: <c>SCIM_BENCH_PARAMS=full</c>.</summary>
    public static bool FullParams => !Quick || Environment.GetEnvironmentVariable("SCIM_BENCH_PARAMS") == "full";

    public static IConfig Create()
    {
        var job = Quick
            ? Job.Default.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1)
            : Job.Default.WithMinIterationCount(5).WithMaxIterationCount(15);
        return ManualConfig.CreateMinimumViable()
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance).WithId(Quick ? "quick" : "full"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.OperationsPerSecond, StatisticColumn.Median)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond))
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }
}
