namespace ScimOrleans.Grains.Abstractions.Tenants;

/// <summary>
/// Holds the hash of the generated admin key when the operator configured none. Key: <c>system/admin-key</c>.
/// </summary>
public interface IAdminKeyGrain : IGrainWithStringKey
{
    /// <summary>Generates and stores a key if none exists; returns the clear text only when it was just generated.</summary>
    Task<string?> EnsureGenerated();

    /// <summary>Whether <paramref name="key"/> is the stored admin key (constant-time comparison of hashes).</summary>
    [ReadOnly]
    Task<bool> Verify(string key);
}
