namespace ScimOrleans.Grains.Resources;

/// <summary>Settings the grains read from the host's configuration (section <c>Scim</c>).</summary>
public sealed class ScimGrainOptions
{
    /// <summary>
    /// How long a user or group grain stays in memory after its last call, in minutes (more than one: Orleans collects
    /// idle grains once a minute). A hot grain answers reads without the store; its state is a cache of the store, so
    /// collecting it loses nothing. Memory follows the resources touched within this window (a few KB each: about
    /// 430 MiB of GC heap with 100k users hot); under memory pressure the silo sheds activations sooner
    /// (<c>Orleans:GrainCollection</c>). Default: Orleans' own default collection age.
    /// </summary>
    public double ResourceIdleMinutes { get; set; } = 15;

    /// <summary>PBKDF2 iterations for stored <c>password</c> hashes.</summary>
    public int PasswordHashIterations { get; set; } = 10_000;

    /// <summary>How often a resource grain re-applies a write after losing a version race before giving up with 409.</summary>
    public int MaxWriteAttempts { get; set; } = 5;

    /// <summary>
    /// Users whose <c>groups</c> a silo keeps in memory for reads (0: none, every read walks the store's edges). Each
    /// costs a few hundred bytes (about 100 MB when full at the default). Sized to hold a 100k-user tenant with room to
    /// spare: when a tenant's users outnumber it, the least recently used are evicted and their next read walks the store
    /// (at 100k entries, 6 % of the GETs of a 110k-user load run did, and the cluster's GETs fell from 55–66 % to
    /// 37–44 % of the memory ceiling's).
    /// </summary>
    public int UserGroupsCacheEntries { get; set; } = 250_000;

    /// <summary>
    /// How long a silo keeps one user's cached <c>groups</c> at most. Commits invalidate them on every silo at once;
    /// this bounds how stale they could get should a silo miss an invalidation (cut off from the cluster).
    /// </summary>
    public int UserGroupsCacheSeconds { get; set; } = 300;

    /// <summary>
    /// How long a commit waits for another silo to confirm an invalidation of cached <c>groups</c> before it answers
    /// anyway (the write is committed either way). Bounds the delay a hung or unreachable silo adds to membership writes
    /// until the cluster declares it dead; such a silo may serve stale groups for up to <see cref="UserGroupsCacheSeconds"/>.
    /// </summary>
    public int UserGroupsInvalidationTimeoutSeconds { get; set; } = 5;
}
