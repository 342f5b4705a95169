using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Xunit;

namespace ScimOrleans.TestSupport;

/// <summary>
/// A PostgreSQL server for tests, shared per test collection (<c>ICollectionFixture&lt;PostgresServer&gt;</c>).
/// </summary>
/// <remarks>
/// <para>When <see cref="ConnectionStringVariable"/> is set, that server is used (its user needs CREATEDB) and the
/// databases created through <see cref="CreateDatabaseAsync"/> are dropped on dispose. Otherwise a private server is
/// started from the PostgreSQL binaries (<c>initdb</c>, <c>pg_ctl</c> on PATH or under
/// <c>/usr/lib/postgresql/*/bin</c>) in a fresh temporary directory: trust authentication, listening on 127.0.0.1
/// only, on a free port, durability switched off for speed. As root the binaries run as the <c>postgres</c> user
/// (via <c>runuser</c>), since PostgreSQL refuses to run as root. Dispose stops it and deletes the directory.</para>
/// <para>When neither is possible, tests marked <see cref="PostgresFactAttribute"/> are skipped with
/// <see cref="SkipReason"/>, except under <c>CI=true</c>, where <see cref="InitializeAsync"/> throws instead.</para>
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>Environment variable holding the connection string of an existing server to use instead.</summary>
    public const string ConnectionStringVariable = "SCIM_TEST_POSTGRES";

    private const string ServerUser = "postgres";

    private static readonly Lazy<string?> Unavailable = new(FindWhyUnavailable);

    private readonly List<string> createdDatabases = [];
    private readonly Lock gate = new();
    private string? adminConnectionString;
    private PrivateCluster? cluster;

    /// <summary>
    /// Why a test needing PostgreSQL should be skipped, or <see langword="null"/> when it should run: a server can be
    /// had, or <c>CI=true</c> (a missing server must fail there, not hide).
    /// </summary>
    public static string? SkipReason => IsContinuousIntegration ? null : Unavailable.Value;

    /// <summary>Whether a server can be had here (an external one configured, or binaries to start one).</summary>
    public static bool CanStart => Unavailable.Value is null;

    /// <summary>A superuser (or CREATEDB) connection string to the server's <c>postgres</c> database.</summary>
    /// <exception cref="InvalidOperationException">The server is not available.</exception>
    public string AdminConnectionString =>
        adminConnectionString ?? throw new InvalidOperationException(Unavailable.Value ?? "The PostgreSQL server is not started.");

    /// <summary>Whether this fixture started (and owns) the server.</summary>
    public bool IsPrivateServer => cluster is not null;

    private static bool IsContinuousIntegration =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts (or connects to) a server outside of xunit; dispose it with <see cref="DisposeAsync"/>.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        return server;
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            adminConnectionString = external;
            await using var connection = new NpgsqlConnection(external);
            await connection.OpenAsync(); // fail early and clearly if the configured server is unreachable
            return;
        }

        if (Unavailable.Value is { } reason)
        {
            if (IsContinuousIntegration)
            {
                throw new InvalidOperationException($"CI=true and no PostgreSQL server is available: {reason}");
            }

            return; // the tests are skipped by PostgresFactAttribute
        }

        cluster = await PrivateCluster.StartAsync();
        adminConnectionString = cluster.ConnectionString;
    }

    /// <summary>Creates a new, empty, uniquely named database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"scim_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        lock (gate)
        {
            createdDatabases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
            cluster = null;
        }
        else if (adminConnectionString is not null)
        {
            string[] names;
            lock (gate)
            {
                names = [.. createdDatabases];
                createdDatabases.Clear();
            }

            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync();
            foreach (var name in names)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }

        adminConnectionString = null;
    }

    private static string? FindWhyUnavailable()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionStringVariable)))
        {
            return null;
        }

        const string hint = $"set {ConnectionStringVariable} to a connection string, or install the PostgreSQL server binaries";
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return $"No PostgreSQL: starting a private server is only supported on Linux and macOS; {hint}.";
        }

        if (PrivateCluster.FindBinDirectory() is null)
        {
            return $"No PostgreSQL: initdb/pg_ctl not found on PATH or under /usr/lib/postgresql/*/bin; {hint}.";
        }

        if (PrivateCluster.IsRoot)
        {
            if (PrivateCluster.FindOnPath("runuser") is null)
            {
                return $"No PostgreSQL: running as root, PostgreSQL must run as '{ServerUser}' but runuser is missing; {hint}.";
            }

            if (!File.ReadLines("/etc/passwd").Any(line => line.StartsWith(ServerUser + ":", StringComparison.Ordinal)))
            {
                return $"No PostgreSQL: running as root, PostgreSQL must run as a '{ServerUser}' user, which does not exist; {hint}.";
            }
        }

        return null;
    }

    /// <summary>A throw-away PostgreSQL cluster in a temporary directory.</summary>
    private sealed class PrivateCluster : IAsyncDisposable
    {
        private readonly string root;
        private readonly string binDirectory;
        private int stopped;

        private PrivateCluster(string root, string binDirectory, int port)
        {
            this.root = root;
            this.binDirectory = binDirectory;
            Port = port;
            ConnectionString = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1",
                Port = port,
                Username = ServerUser,
                Database = "postgres",
                IncludeErrorDetail = true,
            }.ConnectionString;
        }

        public static bool IsRoot => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

        public int Port { get; }

        public string ConnectionString { get; }

        private string DataDirectory => Path.Combine(root, "data");

        private string LogFile => Path.Combine(root, "server.log");

        public static async Task<PrivateCluster> StartAsync()
        {
            var binDirectory = FindBinDirectory() ?? throw new InvalidOperationException("initdb/pg_ctl not found.");
            var root = Directory.CreateTempSubdirectory("scim-pg-").FullName;
            try
            {
                if (IsRoot)
                {
                    await RunAsync("chown", ["-R", $"{ServerUser}:", root], root);
                }

                await RunServerToolAsync(binDirectory, "initdb", root,
                [
                    "-D", Path.Combine(root, "data"), "-U", ServerUser, "-A", "trust", "-E", "UTF8",
                    "--locale=C", "--no-sync", "--no-instructions",
                ]);

                for (var attempt = 1; ; attempt++)
                {
                    var port = FreePorts.Next();
                    var candidate = new PrivateCluster(root, binDirectory, port);
                    try
                    {
                        await candidate.PgCtlAsync(
                        [
                            "-D", candidate.DataDirectory, "-l", candidate.LogFile, "-w", "-t", "60", "-o",
                            string.Create(CultureInfo.InvariantCulture,
                                $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{root}' ") +
                            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                            "start",
                        ]);
                        AppDomain.CurrentDomain.ProcessExit += candidate.StopOnProcessExit;
                        return candidate;
                    }
                    catch (InvalidOperationException) when (attempt < 3)
                    {
                        // Most likely the port was taken between probing and binding; try another one.
                    }
                }
            }
            catch
            {
                TryDeleteDirectory(root);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref stopped, 1) == 1)
            {
                return;
            }

            AppDomain.CurrentDomain.ProcessExit -= StopOnProcessExit;
            try
            {
                await PgCtlAsync(["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
            }
            finally
            {
                TryDeleteDirectory(root);
            }
        }

        public static string? FindBinDirectory()
        {
            var onPath = FindOnPath("initdb");
            if (onPath is not null && File.Exists(Path.Combine(Path.GetDirectoryName(onPath)!, "pg_ctl")))
            {
                return Path.GetDirectoryName(onPath);
            }

            const string debianLayout = "/usr/lib/postgresql";
            if (!Directory.Exists(debianLayout))
            {
                return null;
            }

            return Directory.GetDirectories(debianLayout)
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault();
        }

        public static string? FindOnPath(string executable) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(directory => Path.Combine(directory, executable))
                .FirstOrDefault(File.Exists);

        private Task PgCtlAsync(IReadOnlyList<string> arguments) =>
            RunServerToolAsync(binDirectory, "pg_ctl", root, arguments);

        /// <summary>Last resort when the test host exits without disposing the fixture: never leave a server behind.</summary>
        private void StopOnProcessExit(object? sender, EventArgs e)
        {
            if (Interlocked.Exchange(ref stopped, 1) == 1)
            {
                return;
            }

            var (file, arguments) = ServerToolCommand(binDirectory, "pg_ctl", ["-D", DataDirectory, "-m", "immediate", "stop"]);
            using var process = Process.Start(StartInfo(file, arguments, root));
            process?.WaitForExit(TimeSpan.FromSeconds(10));
            TryDeleteDirectory(root);
        }

        private static Task RunServerToolAsync(string binDirectory, string tool, string workingDirectory, IReadOnlyList<string> arguments)
        {
            var (file, allArguments) = ServerToolCommand(binDirectory, tool, arguments);
            return RunAsync(file, allArguments, workingDirectory);
        }

        private static (string File, IReadOnlyList<string> Arguments) ServerToolCommand(
            string binDirectory, string tool, IReadOnlyList<string> arguments)
        {
            var path = Path.Combine(binDirectory, tool);
            return IsRoot ? ("runuser", ["-u", ServerUser, "--", path, .. arguments]) : (path, arguments);
        }

        private static async Task RunAsync(string file, IReadOnlyList<string> arguments, string workingDirectory)
        {
            using var process = Process.Start(StartInfo(file, arguments, workingDirectory))
                ?? throw new InvalidOperationException($"Could not start {file}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                var message = new StringBuilder()
                    .Append(CultureInfo.InvariantCulture, $"'{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}.")
                    .AppendLine().Append(await output).AppendLine().Append(await error);
                var log = Path.Combine(workingDirectory, "server.log");
                if (File.Exists(log))
                {
                    message.AppendLine().Append("server.log: ").Append(await File.ReadAllTextAsync(log));
                }

                throw new InvalidOperationException(message.ToString());
            }
        }

        private static ProcessStartInfo StartInfo(string file, IReadOnlyList<string> arguments, string workingDirectory)
        {
            var startInfo = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            return startInfo;
        }

        private static void TryDeleteDirectory(string directory)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp directory is harmless, a leftover server is not (and is stopped above).
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
