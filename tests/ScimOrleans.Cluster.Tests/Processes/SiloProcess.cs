using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScimOrleans.TestSupport;

namespace ScimOrleans.Cluster.Tests.Processes;

/// <summary>
/// One silo as a real child process (<c>dotnet ScimOrleans.Silo.dll</c>), configured through environment variables
/// exactly as an operator would. <see cref="Kill"/> is a crash (SIGKILL, no shutdown code runs);
/// <see cref="StopGracefullyAsync"/> is what an orchestrator does (SIGTERM, then wait).
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    /// <summary>Environment keys the test controls; inherited values of these are removed first.</summary>
    private static readonly string[] ControlledPrefixes = ["Scim__", "Orleans__", "ConnectionStrings__", "ASPNETCORE_", "Logging__"];

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Lock outputGate = new();

    private SiloProcess(string name, Process process, Uri httpAddress, int siloPort, int gatewayPort)
    {
        Name = name;
        this.process = process;
        HttpAddress = httpAddress;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public string Name { get; }

    public Uri HttpAddress { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (outputGate)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts the silo; <paramref name="environment"/> is its configuration (HTTP and Orleans ports are added).</summary>
    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> environment)
    {
        var httpPort = FreePorts.Next();
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();
        var startInfo = new ProcessStartInfo(SiloBinary.DotnetHost)
        {
            WorkingDirectory = SiloBinary.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(SiloBinary.DllPath);
        foreach (var key in startInfo.Environment.Keys.Where(k => ControlledPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        startInfo.Environment["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}");
        startInfo.Environment["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["Orleans__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["DOTNET_NOLOGO"] = "1";

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var silo = new SiloProcess(name, process, new Uri($"http://127.0.0.1:{httpPort}/"), siloPort, gatewayPort);
        process.OutputDataReceived += (_, line) => silo.Append(line.Data);
        process.ErrorDataReceived += (_, line) => silo.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ChildProcesses.Track(process);
        return silo;
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200; fails with the silo's output if it exits or times out.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Silo {Name} exited with {process.ExitCode} during start-up:\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(HttpAddress, "readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Silo {Name} not ready after {timeout}:\n{Tail()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A crash: SIGKILL to the process tree; nothing of the silo's shutdown runs.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
    }

    /// <summary>Sends SIGTERM (what docker stop and systemd send) without waiting.</summary>
    public void SignalTerminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
    }

    /// <summary>SIGTERM, then waits for the process to exit; returns the exit code.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan timeout)
    {
        SignalTerminate();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    /// <summary>Waits for the process to exit on its own (after <see cref="SignalTerminate"/>).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token);
        return process.ExitCode;
    }

    public string Tail(int lines = 60)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (outputGate)
        {
            output.AppendLine(line);
        }
    }
}
