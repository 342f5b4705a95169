using System.Text.Json.Nodes;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;

namespace ScimOrleans.Grains.Tests;

/// <summary>Schema extensions kept in tenant state, and resource grains validating with the tenant's schema.</summary>
public sealed class TenantSchemaTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private const string Urn = "urn:example:params:scim:schemas:extension:acme:2.0:Group";

    private static readonly string Definition = $$"""
        {"id":"{{Urn}}","name":"AcmeGroup","attributes":[
          {"name":"clearanceLevel","type":"string","mutability":"readWrite"},
          {"name":"isArchived","type":"boolean","mutability":"readOnly"}]}
        """;

    [Fact]
    public async Task Extensions_are_added_replaced_listed_and_removed_by_urn_case_insensitively()
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant("sch" + Guid.NewGuid().ToString("N")[..8]));
        Assert.Null(await tenant.GetSchemaExtensions());
        Assert.Null(await tenant.PutSchemaExtension(new TenantSchemaExtension(Urn, "Group", false, Definition)));

        await tenant.Create(MembershipPolicy.RemoveFromGroups);
        Assert.Empty((await tenant.GetSchemaExtensions())!);
        Assert.True(await tenant.PutSchemaExtension(new TenantSchemaExtension(Urn, "Group", false, Definition)));
        Assert.False(await tenant.PutSchemaExtension(new TenantSchemaExtension(Urn.ToUpperInvariant(), "Group", true, Definition)));
        var stored = Assert.Single((await tenant.GetSchemaExtensions())!);
        Assert.True(stored.Required);

        Assert.True(await tenant.DeleteSchemaExtension(Urn));
        Assert.False(await tenant.DeleteSchemaExtension(Urn));
        Assert.Empty((await tenant.GetSchemaExtensions())!);
    }

    [Fact]
    public async Task A_resource_grain_validates_and_keeps_the_tenants_extension_attributes()
    {
        var tenantId = "ext" + Guid.NewGuid().ToString("N")[..8];
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant(tenantId));
        await tenant.Create(MembershipPolicy.RemoveFromGroups);
        await tenant.PutSchemaExtension(new TenantSchemaExtension(Urn, "Group", false, Definition));

        var group = fixture.Grains.GetGrain<IGroupGrain>(ResourceKeys.Group(tenantId, Guid.NewGuid().ToString()));
        var created = await group.Create($$$"""{"displayName":"Vault","{{{Urn}}}":{"clearanceLevel":"secret","isArchived":true}}""");
        Assert.Null(created.Error);
        var json = JsonNode.Parse(created.Resource!.Json)!;
        Assert.Equal("secret", json[Urn]!["clearanceLevel"]!.GetValue<string>());
        Assert.Null(json[Urn]!["isArchived"]);

        var patched = await group.Patch($$$"""{"Operations":[{"op":"replace","path":"{{{Urn}}}:clearanceLevel","value":"top"}]}""", null);
        Assert.Equal("top", JsonNode.Parse(patched.Resource!.Json)![Urn]!["clearanceLevel"]!.GetValue<string>());

        var rejected = await group.Patch($$$"""{"Operations":[{"op":"replace","path":"{{{Urn}}}:isArchived","value":true}]}""", null);
        Assert.Equal("mutability", rejected.Error!.ScimType);

        // A tenant without the extension does not know the attribute: the path is invalid there.
        var otherTenant = "plain" + Guid.NewGuid().ToString("N")[..8];
        await fixture.Grains.GetGrain<ITenantGrain>(ResourceKeys.Tenant(otherTenant)).Create(MembershipPolicy.RemoveFromGroups);
        var plain = fixture.Grains.GetGrain<IGroupGrain>(ResourceKeys.Group(otherTenant, Guid.NewGuid().ToString()));
        await plain.Create("""{"displayName":"Plain"}""");
        Assert.Equal("invalidPath", (await plain.Patch($$$"""{"Operations":[{"op":"replace","path":"{{{Urn}}}:clearanceLevel","value":"x"}]}""", null)).Error!.ScimType);
    }
}
