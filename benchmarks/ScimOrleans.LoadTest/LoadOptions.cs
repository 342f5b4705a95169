using System.Globalization;

namespace ScimOrleans.LoadTest;

/// <summary>Command-line options of the load driver (see <see cref="Usage"/>).</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        scim-load — load driver for ScimOrleans (and any SCIM 2.0 server speaking the same routes)

        Targets (run one after another, in this order, in one invocation):
          --url URL --tenant T --token K   a running server (SCIM base = URL/scim/v2/T); loopback only unless --allow-remote
          --embedded                       start the embedded ScimOrleans server in this process (SQLite, temp data dir)
          --cluster                        start ScimOrleans in cluster mode in this process: one silo on a private
                                           PostgreSQL server of its own (same settings as the durable ceiling's)
          --ceilings                       also run the memory and durable (PostgreSQL) ceiling apps before the server
          --targets LIST                   explicit list: memory,durable,embedded,cluster,remote (overrides the above)
          --compare                        same as --targets memory,durable,embedded (add --cluster for cluster mode too)
          --sequential                     run the targets one after another (default with several targets:
                                           interleaved, each phase on every target in turn, all targets up at once;
                                           sequential runs report each in-process target's memory on its own)

        Size and bounds:
          --users N           users to provision (default 10000)
          --groups G          ordinary groups (default 100)
          --reads R           requests in each read phase, get-by-id and lookup (default: --users, at least 100000,
                              so that a read phase runs for seconds)
          --cold-reads        before get-by-id, in-process servers deactivate every idle grain: the GETs are first
                              reads, as for users idle longer than Scim:ResourceIdleMinutes
          --server-setting K=V  configuration for the in-process servers (embedded, cluster), e.g.
                              Scim:ResourceIdleMinutes=15; repeatable; the report lists them
          --concurrency C     concurrent clients (default 32)
          --phase-seconds S   stop any phase after S seconds (default 180)
          --max-seconds S     stop a target's run after S seconds (interleaved: the whole run; default 1800)
          --phases LIST       run only these phases (default all; see README in docs/benchmarks.md)
          --bulk-size B       creates per POST /Bulk in the bulk-create phase (default 1000)
          --bulk-concurrency  concurrent /Bulk requests in bulk-create (default 4: 4 requests x the server's
                              Scim:BulkParallelism 8 = 32 creates in flight, as many as the 32 single-POST clients)

        Other:
          --json-out FILE     write the full report as JSON
          --data-dir DIR      where --embedded keeps its SQLite files (default: a fresh temp dir, deleted afterwards)
          --keep-data         do not delete the embedded data directory
          --pg-durability D   durable ceiling: full (fsync + synchronous_commit, default) or relaxed (synchronous_commit=off)
          --allow-remote      allow a non-loopback --url
          --no-progress       no live progress line

        Standalone ceiling apps (serve until Ctrl+C):
          scim-load ceiling memory  [--urls http://127.0.0.1:5100] [--tenant T --token K]
          scim-load ceiling durable [--urls http://127.0.0.1:5101] [--tenant T --token K] [--pg-durability full|relaxed]
        """;

    public List<string> Targets { get; } = [];

    public Uri? Url { get; set; }

    public string Tenant { get; set; } = "acme";

    public string Token { get; set; } = "load-test-token";

    public int Users { get; set; } = 10_000;

    public int Groups { get; set; } = 100;

    /// <summary>Requests in each read phase; null means as many as <see cref="Users"/>.</summary>
    public int? Reads { get; set; }

    /// <summary>
    /// Before get-by-id, in-process servers deactivate every idle grain, so the GETs are first reads (a user's grain is
    /// collected after <c>Scim:ResourceIdleMinutes</c> idle).
    /// </summary>
    public bool ColdReads { get; set; }

    /// <summary>Configuration the in-process servers start with on top of the driver's own (<c>--server-setting K=V</c>).</summary>
    public List<KeyValuePair<string, string>> ServerSettings { get; } = [];

    public int Concurrency { get; set; } = 32;

    public TimeSpan PhaseLimit { get; set; } = TimeSpan.FromSeconds(180);

    public TimeSpan RunLimit { get; set; } = TimeSpan.FromSeconds(1800);

    public HashSet<string>? Phases { get; set; }

    public int BulkSize { get; set; } = 1000;

    public int BulkConcurrency { get; set; } = 4;

    public string? JsonOut { get; set; }

    public string? DataDirectory { get; set; }

    public bool KeepData { get; set; }

    public bool RelaxedPostgres { get; set; }

    public bool AllowRemote { get; set; }

    public bool Progress { get; set; } = true;

    public bool Interleave { get; set; } = true;

    public string? CeilingKind { get; set; }

    public string CeilingUrls { get; set; } = "";

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        var embedded = false;
        var cluster = false;
        var ceilings = false;
        List<string>? explicitTargets = null;
        var i = 0;
        if (args.Length > 0 && args[0] == "ceiling")
        {
            options.CeilingKind = args.Length > 1 ? args[1] : throw new ArgumentException("ceiling needs 'memory' or 'durable'.");
            i = 2;
        }

        for (; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int NextInt() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            switch (name)
            {
                case "--url": options.Url = new Uri(Next().TrimEnd('/') + "/"); break;
                case "--tenant": options.Tenant = Next(); break;
                case "--token": options.Token = Next(); break;
                case "--embedded": embedded = true; break;
                case "--cluster": cluster = true; break;
                case "--ceilings": ceilings = true; break;
                case "--compare": ceilings = true; embedded = true; break;
                case "--targets": explicitTargets = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                case "--users": options.Users = NextInt(); break;
                case "--groups": options.Groups = NextInt(); break;
                case "--reads": options.Reads = NextInt(); break;
                case "--cold-reads": options.ColdReads = true; break;
                case "--server-setting": options.ServerSettings.Add(ServerSetting(Next())); break;
                case "--concurrency": options.Concurrency = NextInt(); break;
                case "--phase-seconds": options.PhaseLimit = TimeSpan.FromSeconds(NextInt()); break;
                case "--max-seconds": options.RunLimit = TimeSpan.FromSeconds(NextInt()); break;
                case "--phases": options.Phases = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]; break;
                case "--bulk-size": options.BulkSize = NextInt(); break;
                case "--bulk-concurrency": options.BulkConcurrency = NextInt(); break;
                case "--json-out": options.JsonOut = Next(); break;
                case "--data-dir": options.DataDirectory = Next(); break;
                case "--keep-data": options.KeepData = true; break;
                case "--pg-durability":
                    options.RelaxedPostgres = Next() switch
                    {
                        "full" => false,
                        "relaxed" => true,
                        var other => throw new ArgumentException($"--pg-durability is full or relaxed, not '{other}'."),
                    };
                    break;
                case "--allow-remote": options.AllowRemote = true; break;
                case "--no-progress": options.Progress = false; break;
                case "--sequential": options.Interleave = false; break;
                case "--urls": options.CeilingUrls = Next(); break;
                case "-h" or "--help": throw new HelpRequestedException();
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (explicitTargets is not null)
        {
            options.Targets.AddRange(explicitTargets);
        }
        else
        {
            if (ceilings)
            {
                options.Targets.Add("memory");
                options.Targets.Add("durable");
            }

            if (embedded)
            {
                options.Targets.Add("embedded");
            }

            if (cluster)
            {
                options.Targets.Add("cluster");
            }

            if (options.Url is not null)
            {
                options.Targets.Add("remote");
            }
        }

        if (options.CeilingKind is null && options.Targets.Count == 0)
        {
            throw new ArgumentException("Nothing to measure: give --url, --embedded, --cluster, --ceilings, --compare or --targets.");
        }

        foreach (var target in options.Targets)
        {
            if (target is not ("memory" or "durable" or "embedded" or "cluster" or "remote"))
            {
                throw new ArgumentException($"Unknown target '{target}'.");
            }
        }

        if (options.Targets.Contains("remote") && options.Url is null)
        {
            throw new ArgumentException("The remote target needs --url.");
        }

        if (options.Users < 200 || options.Groups < 1 || options.Concurrency < 1)
        {
            throw new ArgumentException("--users must be at least 200, --groups and --concurrency at least 1.");
        }

        if (options.BulkSize < 1 || options.BulkConcurrency < 1)
        {
            throw new ArgumentException("--bulk-size and --bulk-concurrency must be at least 1.");
        }

        return options;
    }

    public bool Runs(string phase) => Phases is null || Phases.Contains(phase);

    private static KeyValuePair<string, string> ServerSetting(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new(text[..equals].Trim(), text[(equals + 1)..].Trim())
            : throw new ArgumentException($"--server-setting takes KEY=VALUE (e.g. Scim:ResourceIdleMinutes=15), not '{text}'.");
    }
}

internal sealed class HelpRequestedException : Exception
{
}
