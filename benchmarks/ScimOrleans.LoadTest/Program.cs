using System.Net;
using System.Net.Sockets;
using ScimOrleans.LoadTest;
using ScimOrleans.LoadTest.Ceilings;
using ScimOrleans.LoadTest.Driver;
using ScimOrleans.LoadTest.Reporting;
using ScimOrleans.LoadTest.Targets;
using ScimOrleans.LoadTest.Workloads;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (HelpRequestedException)
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (options.CeilingKind is { } kind)
{
    return await CeilingCommand.RunAsync(kind, options, cancel.Token);
}

if (options.Url is not null && !options.AllowRemote && !await IsLoopbackAsync(options.Url))
{
    Console.Error.WriteLine($"Refusing to load {options.Url}: it is not a loopback address. Pass --allow-remote to load a remote server.");
    return 2;
}

var report = new RunReport(MachineInfo.Describe(), options);
if (options.Interleave && options.Targets.Count > 1)
{
    // All targets up at once; phases run one at a time, each phase on every target in turn.
    var targets = new List<ILoadTarget>();
    try
    {
        foreach (var name in options.Targets)
        {
            var started = await TargetFactory.StartAsync(name, options, cancel.Token);
            targets.Add(started);
            Console.WriteLine($"=== target {name}: {started.Description}");
        }

        var turns = new PhaseTurns(targets.Count);
        var runs = targets.Select(async (target, index) =>
        {
            try
            {
                return await new Scenario(options, target, turns, index).RunAsync(cancel.Token);
            }
            finally
            {
                turns.Finish(index);
            }
        }).ToList();
        report.Targets.AddRange(await Task.WhenAll(runs));
    }
    finally
    {
        foreach (var target in targets)
        {
            await target.DisposeAsync();
        }
    }
}
else
{
    foreach (var name in options.Targets)
    {
        if (cancel.IsCancellationRequested)
        {
            break;
        }

        Console.WriteLine();
        Console.WriteLine($"=== target: {name} ===");
        await using var target = await TargetFactory.StartAsync(name, options, cancel.Token);
        Console.WriteLine($"    {target.Description}");
        var scenario = new Scenario(options, target);
        var result = await scenario.RunAsync(cancel.Token);
        report.Targets.Add(result);
        ConsoleReport.PrintTarget(result);
    }
}

ConsoleReport.PrintComparison(report);
if (options.JsonOut is { } jsonOut)
{
    await JsonReport.WriteAsync(report, jsonOut);
    Console.WriteLine($"JSON report written to {jsonOut}");
}

return 0;

static async Task<bool> IsLoopbackAsync(Uri url)
{
    if (url.IsLoopback)
    {
        return true;
    }

    IPAddress[] addresses;
    try
    {
        addresses = IPAddress.TryParse(url.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(url.DnsSafeHost);
    }
    catch (SocketException)
    {
        return false;
    }

    return addresses.Length > 0 && addresses.All(IPAddress.IsLoopback);
}
