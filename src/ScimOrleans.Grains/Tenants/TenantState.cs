using ScimOrleans.Grains.Abstractions.Tenants;

namespace ScimOrleans.Grains.Tenants;

/// <summary>The persisted configuration of a tenant (grain state name <c>scimTenant</c>).</summary>
[GenerateSerializer]
public sealed class TenantState
{
    [Id(0)]
    public bool Exists { get; set; }

    [Id(1)]
    public DateTimeOffset Created { get; set; }

    [Id(2)]
    public MembershipPolicy MembershipPolicy { get; set; }

    [Id(3)]
    public List<TenantToken> Tokens { get; set; } = [];

    /// <summary>Schema extensions registered through the admin API (absent in state written before they existed).</summary>
    [Id(4)]
    public List<TenantSchemaExtension> SchemaExtensions { get; set; } = [];
}
