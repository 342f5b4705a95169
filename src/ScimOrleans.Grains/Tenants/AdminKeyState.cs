namespace ScimOrleans.Grains.Tenants;

/// <summary>The hash of the generated admin key (grain state name <c>scimAdminKey</c>).</summary>
[GenerateSerializer]
public sealed class AdminKeyState
{
    [Id(0)]
    public string? Sha256 { get; set; }
}
