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

    private static string? StatementReportPath =>
        Environment.GetEnvironmentVariable("SCIM_LOAD_PG_STATEMENTS") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task AppendStatementReportAsync(string path)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT d.datname, s.calls, s.total_exec_time, s.mean_exec_time, s.rows, s.plans, s.total_plan_time, s.query " +
            "FROM pg_stat_statements AS s JOIN pg_database AS d ON d.oid = s.dbid ORDER BY s.total_exec_time DESC LIMIT 25;",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var report = new System.Text.StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"== pg_stat_statements of the server on {root} ({DateTimeOffset.UtcNow:u}) ==");
        report.AppendLine("db        calls      total ms   mean ms       rows     plans  plan ms  query");
        while (await reader.ReadAsync())
        {
            var query = reader.GetString(7).ReplaceLineEndings(" ");
            report.AppendLine(CultureInfo.InvariantCulture,
                $"{reader.GetString(0),-8} {reader.GetInt64(1),7} {reader.GetDouble(2),12:F0} {reader.GetDouble(3),9:F3} {reader.GetInt64(4),10} {reader.GetInt64(5),9} {reader.GetDouble(6),8:F0}  {(query.Length > 400 ? query[..400] + "…" : query)}");
        }

        await reader.CloseAsync();

        // Per table of the busiest database: how many updates were HOT (no index entries written) and how much WAL.
        var busiest = await new NpgsqlCommand(
            "SELECT d.datname FROM pg_stat_statements AS s JOIN pg_database AS d ON d.oid = s.dbid GROUP BY d.datname ORDER BY sum(s.calls) DESC LIMIT 1;",
            connection).ExecuteScalarAsync() as string;
        if (busiest is not null)
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = busiest };
            await using var tables = new NpgsqlConnection(builder.ConnectionString);
            await tables.OpenAsync();
            await using var stats = new NpgsqlCommand(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, pg_total_relation_size(relid) FROM pg_stat_user_tables ORDER BY n_tup_upd + n_tup_ins DESC;",
                tables);
            await using var rows = await stats.ExecuteReaderAsync();
            report.AppendLine(CultureInfo.InvariantCulture, $"-- tables of {busiest}: inserts, updates (HOT), deletes, size");
            while (await rows.ReadAsync())
            {
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"{rows.GetString(0),-24} ins {rows.GetInt64(1),9} upd {rows.GetInt64(2),9} (hot {rows.GetInt64(3),9}) del {rows.GetInt64(4),9} {rows.GetInt64(5) / 1048576.0,8:F1} MiB");
            }
        }

        await using var wal = new NpgsqlCommand("SELECT wal_records, wal_bytes, wal_sync FROM pg_stat_wal;", connection);
        await using (var walRow = await wal.ExecuteReaderAsync())
        {
            if (await walRow.ReadAsync())
            {
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"-- WAL: {walRow.GetInt64(0)} records, {walRow.GetDecimal(1) / 1048576m:F1} MiB, {walRow.GetInt64(2)} syncs");
            }
        }

        await File.AppendAllTextAsync(path, report.ToString());
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
                await AppendStatementReportAsync(reportPath);
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
