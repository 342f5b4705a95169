using System.Diagnostics;
using System.Globalization;
using Npgsql;
using ScimOrleans.LoadTest.Targets;

namespace ScimOrleans.LoadTest.Ceilings;

/// <summary>
/// A private PostgreSQL server for the durable ceiling: <c>initdb</c> in a temp directory, <c>pg_ctl start</c> bound to
/// 127.0.0.1 on a free port (as the <c>postgres</c> user when running as root), stopped and deleted on dispose.
/// <c>--pg-durability full</c> keeps PostgreSQL's defaults (fsync on, synchronous_commit on: every commit waits for
/// its WAL flush); <c>relaxed</c> sets synchronous_commit=off (crash-safe, may lose the last few hundred ms).
/// Set <c>SCIM_LOAD_POSTGRES</c> to a connection string to use an existing server instead.
/// Set <c>SCIM_LOAD_PG_STATEMENTS</c> to a file path to load <c>pg_stat_statements</c> and append, when the server is
/// disposed, its busiest statements (by total execution time, every database) to that file: what a target asked
/// PostgreSQL to do, and what it cost there.
/// </summary>
internal sealed class PostgresInstance : IAsyncDisposable
{
    private const string ServerUser = "postgres";
    private readonly string? root;
    private readonly string? bin;
    private int stopped;

    private PostgresInstance(string connectionString, string durability, string? root, string? bin)
    {
        ConnectionString = connectionString;
        Durability = durability;
        this.root = root;
        this.bin = bin;
    }

    public string ConnectionString { get; }

    public string Durability { get; }

    public static async Task<PostgresInstance> StartAsync(bool relaxed)
    {
        var durability = relaxed ? "synchronous_commit=off" : "fsync=on, synchronous_commit=on";
        if (Environment.GetEnvironmentVariable("SCIM_LOAD_POSTGRES") is { Length: > 0 } external)
        {
            return new PostgresInstance(external, "external server, its own settings", null, null);
        }

        var bin = FindBinDirectory() ?? throw new InvalidOperationException("initdb/pg_ctl not found on PATH or under /usr/lib/postgresql/*/bin.");
        var root = Directory.CreateTempSubdirectory("scim-load-pg-").FullName;
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", ServerUser + ":", root]);
        }

        var data = Path.Combine(root, "data");
        await RunToolAsync(bin, "initdb", ["-D", data, "-U", ServerUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-instructions"]);
        var port = LoopbackPorts.Free();
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{root}' -c max_connections=200 -c shared_buffers=512MB -c autovacuum_naptime=1");
        if (relaxed)
        {
            settings += " -c synchronous_commit=off";
        }

        if (StatementReportPath is not null)
        {
            settings += " -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.track_planning=on";
        }

        var instance = new PostgresInstance(
            new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = ServerUser, Database = "postgres" }.ConnectionString,
            durability,
            root,
            bin);
        await RunToolAsync(bin, "pg_ctl", ["-D", data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", settings, "start"]);
        AppDomain.CurrentDomain.ProcessExit += instance.StopOnExit;
        if (StatementReportPath is not null)
        {
            await instance.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements;");
        }

        return instance;
    }

    /// <summary>Where <see cref="PostgresStatementReport"/> appends on dispose (<c>SCIM_LOAD_PG_STATEMENTS</c>), or null.</summary>
    private static string? StatementReportPath =>
        Environment.GetEnvironmentVariable("SCIM_LOAD_PG_STATEMENTS") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }


    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (root is null || Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= StopOnExit;
        try
        {
            if (StatementReportPath is { } reportPath)
            {
                await PostgresStatementReport.AppendAsync(ConnectionString, root, reportPath);
            }

            await RunToolAsync(bin!, "pg_ctl", ["-D", Path.Combine(root, "data"), "-m", "fast", "-w", "-t", "60", "stop"]);
        }
        finally
        {
            TryDelete(root);
        }
    }

    private void StopOnExit(object? sender, EventArgs e)
    {
        if (root is null || Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        var (file, arguments) = Command(bin!, "pg_ctl", ["-D", Path.Combine(root, "data"), "-m", "immediate", "stop"]);
        using var process = Process.Start(StartInfo(file, arguments));
        process?.WaitForExit(TimeSpan.FromSeconds(10));
        TryDelete(root);
    }

    private static bool IsRoot => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static string? FindBinDirectory()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "initdb"))
            .FirstOrDefault(File.Exists);
        if (onPath is not null && File.Exists(Path.Combine(Path.GetDirectoryName(onPath)!, "pg_ctl")))
        {
            return Path.GetDirectoryName(onPath);
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "pg_ctl"))).OrderDescending(StringComparer.Ordinal).FirstOrDefault()
            : null;
    }

    private static Task RunToolAsync(string bin, string tool, IReadOnlyList<string> arguments)
    {
        var (file, all) = Command(bin, tool, arguments);
        return RunAsync(file, all);
    }

    private static (string File, IReadOnlyList<string> Arguments) Command(string bin, string tool, IReadOnlyList<string> arguments) =>
        IsRoot ? ("runuser", ["-u", ServerUser, "--", Path.Combine(bin, tool), .. arguments]) : (Path.Combine(bin, tool), arguments);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        using var process = Process.Start(StartInfo(file, arguments)) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {await output} {await error}");
        }
    }

    private static ProcessStartInfo StartInfo(string file, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }


    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
