namespace ScimOrleans.Silo.Hosting;

/// <summary>The <c>Orleans</c> configuration section (environment form <c>Orleans__Name</c>).</summary>
public sealed class OrleansOptions
{
    public const string Section = "Orleans";

    /// <summary>The sub-section bound to Orleans' <c>ClusterMembershipOptions</c> (probe timeouts etc.), e.g. <c>Orleans__Membership__ProbeTimeout</c>.</summary>
    public const string MembershipSection = "Orleans:Membership";

    /// <summary>The sub-section bound to Orleans' <c>SiloMessagingOptions</c>, e.g. <c>Orleans__Messaging__ResponseTimeout</c>.</summary>
    public const string MessagingSection = "Orleans:Messaging";

    /// <summary>
    /// The sub-section bound to Orleans' <c>GrainCollectionOptions</c>: shedding activations under memory pressure (on by
    /// default here, at 80 % of the memory the process may use, down to 75 %), e.g.
    /// <c>Orleans__GrainCollection__MemoryUsageLimitPercentage</c>. Resource grains' idle age is <c>Scim:ResourceIdleMinutes</c>.
    /// </summary>
    public const string GrainCollectionSection = "Orleans:GrainCollection";

    /// <summary>The <see cref="AdvertisedIPAddress"/> value that means "this host's own address, from its name" (containers).</summary>
    public const string AutomaticAddress = "auto";

    public string ClusterId { get; set; } = "scim";

    public string ServiceId { get; set; } = "scimorleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Cluster mode: the address this silo publishes in the membership table for other silos to reach it. An IP,
    /// a host name, or <see cref="AutomaticAddress"/> (the first IPv4 address the host's own name resolves to — what a
    /// container replica wants, since replicas cannot be given distinct settings). Default loopback: several silos on
    /// one machine (<c>scripts/cluster.sh</c>).
    /// </summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>Cluster mode: listen on every interface (containers) instead of only on <see cref="AdvertisedIPAddress"/>.</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    /// <summary>
    /// Cluster mode: the most PostgreSQL connections this silo's Orleans AdoNet providers (membership, grain state,
    /// reminders) hold. They take a connection string, not a data source, so they get their own small pool next to
    /// the SCIM store's (see docs/adr/0003-cluster-mode-on-postgresql.md).
    /// </summary>
    public int AdoNetPoolSize { get; set; } = 10;
}
