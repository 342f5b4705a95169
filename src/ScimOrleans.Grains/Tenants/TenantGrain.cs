using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Grains.Security;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Tenants;

/// <summary>A tenant's credentials and policy, persisted with Orleans grain storage; the store keeps its registry entry.</summary>
public sealed class TenantGrain(
    [PersistentState("scimTenant", StorageNames.Scim)] IPersistentState<TenantState> state,
    IScimStore store) : Grain, ITenantGrain
{
    private string TenantId => this.GetPrimaryKeyString()[..^"/tenant".Length];

    public async Task<TenantInfo?> Create(MembershipPolicy policy)
    {
        if (state.State.Exists)
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        // Registry first: a crash between the two leaves a registered tenant without state, which a retried
        // Create completes; the reverse order would leave a configured tenant the store has never heard of.
        await store.CreateTenantAsync(TenantId, now);
        state.State.Exists = true;
        state.State.Created = now;
        state.State.MembershipPolicy = policy;
        await state.WriteStateAsync();
        return Info();
    }

    public Task<TenantInfo?> Get() => Task.FromResult(state.State.Exists ? Info() : null);

    public async Task<IssuedToken?> IssueToken(string? description)
    {
        if (!state.State.Exists)
        {
            return null;
        }

        var token = SecretHasher.NewSecret("scim_");
        var record = new TenantToken(SecretHasher.NewId(), SecretHasher.Sha256Hex(token), DateTimeOffset.UtcNow, description);
        state.State.Tokens.Add(record);
        await state.WriteStateAsync();
        return new IssuedToken(record.TokenId, token);
    }

    public async Task<TenantInfo> EnsureToken(string token, string description)
    {
        if (!state.State.Exists)
        {
            await Create(MembershipPolicy.RemoveFromGroups);
        }

        var hash = SecretHasher.Sha256Hex(token);
        if (!state.State.Tokens.Exists(t => SecretHasher.HashesEqual(t.Sha256, hash)))
        {
            state.State.Tokens.Add(new TenantToken(SecretHasher.NewId(), hash, DateTimeOffset.UtcNow, description));
            await state.WriteStateAsync();
        }

        return Info()!;
    }

    public async Task<bool> RevokeToken(string tokenId)
    {
        var removed = state.State.Tokens.RemoveAll(t => t.TokenId == tokenId);
        if (removed == 0)
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    public async Task<TenantInfo?> SetMembershipPolicy(MembershipPolicy policy)
    {
        if (!state.State.Exists)
        {
            return null;
        }

        state.State.MembershipPolicy = policy;
        await state.WriteStateAsync();
        return Info();
    }

    public async Task<bool> Delete()
    {
        if (!state.State.Exists)
        {
            return await store.DeleteTenantAsync(TenantId);
        }

        await store.DeleteTenantAsync(TenantId);
        await state.ClearStateAsync();
        state.State = new TenantState();
        DeactivateOnIdle();
        return true;
    }

    public Task<IReadOnlyList<TenantSchemaExtension>?> GetSchemaExtensions() =>
        Task.FromResult<IReadOnlyList<TenantSchemaExtension>?>(state.State.Exists ? [.. state.State.SchemaExtensions] : null);

    public async Task<bool?> PutSchemaExtension(TenantSchemaExtension extension)
    {
        ArgumentNullException.ThrowIfNull(extension);
        if (!state.State.Exists)
        {
            return null;
        }

        var index = state.State.SchemaExtensions.FindIndex(e => string.Equals(e.Urn, extension.Urn, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            state.State.SchemaExtensions[index] = extension;
        }
        else
        {
            state.State.SchemaExtensions.Add(extension);
        }

        await state.WriteStateAsync();
        return index < 0;
    }

    public async Task<bool> DeleteSchemaExtension(string urn)
    {
        if (state.State.SchemaExtensions.RemoveAll(e => string.Equals(e.Urn, urn, StringComparison.OrdinalIgnoreCase)) == 0)
        {
            return false;
        }

        await state.WriteStateAsync();
        return true;
    }

    private TenantInfo? Info() =>
        state.State.Exists
            ? new TenantInfo(TenantId, state.State.Created, state.State.MembershipPolicy, [.. state.State.Tokens])
            : null;
}
