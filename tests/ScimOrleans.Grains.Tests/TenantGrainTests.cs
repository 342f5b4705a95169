using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Grains.Security;

namespace ScimOrleans.Grains.Tests;

/// <summary>Tenant configuration: creation, tokens (hashes only), policy and deletion.</summary>
public sealed class TenantGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    [Fact]
    public async Task Tokens_are_issued_once_stored_as_hashes_and_revocable()
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant("tok" + Guid.NewGuid().ToString("N")[..8]));
        Assert.NotNull(await tenant.Create(MembershipPolicy.RemoveFromGroups));
        Assert.Null(await tenant.Create(MembershipPolicy.KeepMemberships));

        var issued = (await tenant.IssueToken("ci"))!;
        var info = (await tenant.Get())!;

        var stored = Assert.Single(info.Tokens);
        Assert.NotEqual(issued.Token, stored.Sha256);
        Assert.Equal(SecretHasher.Sha256Hex(issued.Token), stored.Sha256);
        Assert.True(await tenant.RevokeToken(issued.TokenId));
        Assert.Empty((await tenant.Get())!.Tokens);
        Assert.False(await tenant.RevokeToken(issued.TokenId));
    }

    [Fact]
    public async Task Ensure_token_is_idempotent_and_creates_the_tenant()
    {
        var id = "boot" + Guid.NewGuid().ToString("N")[..8];
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant(id));

        await tenant.EnsureToken("secret", "bootstrap");
        var info = await tenant.EnsureToken("secret", "bootstrap");

        Assert.Single(info.Tokens);
        Assert.NotNull(await fixture.Store.GetTenantAsync(id));
    }

    [Fact]
    public async Task Policy_changes_and_delete_forgets_everything()
    {
        var id = "pol" + Guid.NewGuid().ToString("N")[..8];
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant(id));
        await tenant.Create(MembershipPolicy.RemoveFromGroups);

        var changed = await tenant.SetMembershipPolicy(MembershipPolicy.KeepMemberships);
        Assert.Equal(MembershipPolicy.KeepMemberships, changed!.MembershipPolicy);

        Assert.True(await tenant.Delete());
        Assert.Null(await fixture.Store.GetTenantAsync(id));
        Assert.Null(await fixture.Grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant(id)).Get());
    }
}
