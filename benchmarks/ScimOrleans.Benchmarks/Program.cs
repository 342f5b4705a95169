using BenchmarkDotNet.Running;
using ScimOrleans.Benchmarks;

// Examples (see docs/benchmarks.md):
//   dotnet run -c Release --project benchmarks/ScimOrleans.Benchmarks -- --filter '*Micro*'
//   SCIM_BENCH_QUICK=1 dotnet run -c Release --project benchmarks/ScimOrleans.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create());
