namespace ScimOrleans.Silo.Hosting;

/// <summary>A tenant and token to ensure at start-up (<c>Scim__Bootstrap__Tenant</c>, <c>Scim__Bootstrap__Token</c>).</summary>
public sealed class BootstrapOptions
{
    public string? Tenant { get; set; }

    public string? Token { get; set; }
}
