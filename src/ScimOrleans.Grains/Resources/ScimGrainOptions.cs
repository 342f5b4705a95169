namespace ScimOrleans.Grains.Resources;

/// <summary>Settings the grains read from the host's configuration (section <c>Scim</c>).</summary>
public sealed class ScimGrainOptions
{
    /// <summary>PBKDF2 iterations for stored <c>password</c> hashes.</summary>
    public int PasswordHashIterations { get; set; } = 10_000;

    /// <summary>How often a resource grain re-applies a write after losing a version race before giving up with 409.</summary>
    public int MaxWriteAttempts { get; set; } = 5;
}
