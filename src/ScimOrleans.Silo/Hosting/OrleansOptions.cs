namespace ScimOrleans.Silo.Hosting;

/// <summary>The <c>Orleans</c> configuration section (environment form <c>Orleans__Name</c>).</summary>
public sealed class OrleansOptions
{
    public const string Section = "Orleans";

    public string ClusterId { get; set; } = "scim";

    public string ServiceId { get; set; } = "scimorleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;
}
