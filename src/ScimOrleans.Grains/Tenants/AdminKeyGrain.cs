using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Grains.Security;

namespace ScimOrleans.Grains.Tenants;

/// <summary>Generates the admin key once per deployment when the operator configured none, and verifies it.</summary>
public sealed class AdminKeyGrain(
    [PersistentState("scimAdminKey", StorageNames.Scim)] IPersistentState<AdminKeyState> state) : Grain, IAdminKeyGrain
{
    public async Task<string?> EnsureGenerated()
    {
        if (state.State.Sha256 is not null)
        {
            return null;
        }

        var key = SecretHasher.NewSecret("scimadmin_");
        state.State.Sha256 = SecretHasher.Sha256Hex(key);
        await state.WriteStateAsync();
        return key;
    }

    public Task<bool> Verify(string key) =>
        Task.FromResult(state.State.Sha256 is { } hash && SecretHasher.HashesEqual(hash, SecretHasher.Sha256Hex(key)));
}
