namespace ScimOrleans.Cluster.Tests.Processes;

/// <summary>
/// Where the built silo is: <c>src/ScimOrleans.Silo/bin/{Configuration}/{tfm}/ScimOrleans.Silo.dll</c>, built with
/// the same configuration as this test assembly (the project reference builds it first). The tests run exactly what
/// an operator runs: <c>dotnet ScimOrleans.Silo.dll</c>.
/// </summary>
internal static class SiloBinary
{
    private static readonly Lazy<string> Located = new(Locate);

    public static string DllPath => Located.Value;

    public static string Directory => Path.GetDirectoryName(DllPath)!;

    /// <summary>The dotnet host running these tests (set by the SDK), or <c>dotnet</c> from PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Locate()
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testDirectory.Name;
        var configuration = testDirectory.Parent?.Name ?? "Debug";
        for (var directory = testDirectory; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ScimOrleans.sln")))
            {
                var dll = Path.Combine(directory.FullName, "src", "ScimOrleans.Silo", "bin", configuration, framework, "ScimOrleans.Silo.dll");
                return File.Exists(dll)
                    ? dll
                    : throw new InvalidOperationException($"The silo is not built at {dll}; build the solution first.");
            }
        }

        throw new InvalidOperationException($"ScimOrleans.sln not found above {testDirectory.FullName}.");
    }
}
