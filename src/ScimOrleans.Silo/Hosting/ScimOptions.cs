namespace ScimOrleans.Silo.Hosting;

/// <summary>The <c>Scim</c> configuration section (environment form <c>Scim__Name</c>).</summary>
public sealed class ScimOptions
{
    public const string Section = "Scim";

    public ScimMode Mode { get; set; } = ScimMode.Embedded;

    /// <summary>Where embedded mode keeps its SQLite files.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The admin API key. When unset, one is generated on first start and printed once.</summary>
    public string? AdminKey { get; set; }

    public BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>
    /// Whether to create a <c>demo</c> tenant (and print its token) when the deployment has no tenant at all and no
    /// bootstrap tenant is configured. Unset: yes in embedded mode, no in cluster mode (where every silo would race to
    /// do it and the token would be printed by whichever won; set the bootstrap tenant instead).
    /// </summary>
    public bool? CreateDemoTenant { get; set; }

    /// <summary>
    /// How long a graceful stop may take in all (<c>HostOptions.ShutdownTimeout</c>): HTTP stops accepting and drains
    /// in-flight requests, then the silo hands its grains over and leaves the cluster. Container orchestrators must
    /// wait longer than this before killing the process (docker-compose <c>stop_grace_period</c>).
    /// </summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Page size when a list request gives no <c>count</c>.</summary>
    public int DefaultPageSize { get; set; } = 100;

    /// <summary>The largest page served (<c>filter.maxResults</c> in ServiceProviderConfig).</summary>
    public int MaxResults { get; set; } = 1000;

    /// <summary>At most this many members are returned on a group (the rest must be read through filters or paging).</summary>
    public int MaxMembersReturned { get; set; } = 10_000;

    /// <summary>
    /// At most this many members are returned on each group of a list or search response (never more than
    /// <see cref="MaxMembersReturned"/>): a page of many big groups would otherwise be up to
    /// page size × <see cref="MaxMembersReturned"/> members.
    /// </summary>
    public int MaxMembersInList { get; set; } = 1_000;

    /// <summary>Largest accepted request body, in bytes (bigger → 413).</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>Public base URL (scheme://host[:port]) for Location headers, when behind a proxy; otherwise taken from the request.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The members shown per group in list and search responses: the lower of the two caps.</summary>
    public int MembersPerGroupInList() => Math.Min(MaxMembersInList, MaxMembersReturned);
}
