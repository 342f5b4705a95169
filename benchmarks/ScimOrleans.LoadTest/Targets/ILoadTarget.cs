namespace ScimOrleans.LoadTest.Targets;

/// <summary>Something the driver loads: a SCIM base URL and a token, and whether it runs inside this process.</summary>
internal interface ILoadTarget : IAsyncDisposable
{
    string Name { get; }

    string Description { get; }

    /// <summary>The tenant's SCIM base, ending with a slash (…/scim/v2/{tenant}/).</summary>
    Uri ScimBase { get; }

    string Token { get; }

    /// <summary>True when the server runs in this process, so the driver's memory samples describe it (plus the driver).</summary>
    bool InProcess { get; }

    /// <summary>True when the target answers <c>POST /Bulk</c> (the ceiling apps do not; the bulk-create phase skips them).</summary>
    bool SupportsBulk { get; }

    /// <summary>Deactivates the server's idle grains (<c>--cold-reads</c>); nothing for targets that have none.</summary>
    Task CollectIdleGrainsAsync() => Task.CompletedTask;

    /// <summary>
    /// The server's groups cache counts since start (reads of users' <c>groups</c> answered from memory, and those that
    /// walked the store); null for targets that have none or do not run here.
    /// </summary>
    (long Hits, long Misses)? GroupsCacheCounts() => null;
}
