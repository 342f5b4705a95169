namespace ScimOrleans.Grains.Resources;

/// <summary>Settings the grains read from the host's configuration (section <c>Scim</c>).</summary>
public sealed class ScimGrainOptions
{
    /// <summary>PBKDF2 iterations for stored <c>password</c> hashes.</summary>
    public int PasswordHashIterations { get; set; } = 10_000;

    /// <summary>How often a resource grain re-applies a write after losing a version race before giving up with 409.</summary>
    public int MaxWriteAttempts { get; set; } = 5;

    /// <summary>
    /// Users whose <c>groups</c> a silo keeps in memory for reads (0: none, every read walks the store's edges). Each
    /// costs a few hundred bytes.
    /// </summary>
    public int UserGroupsCacheEntries { get; set; } = 100_000;

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
