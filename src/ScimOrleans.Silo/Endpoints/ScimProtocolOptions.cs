namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// Protocol limits read from the <c>Scim</c> configuration section (environment form <c>Scim__Name</c>), next to the
/// host's own <c>ScimOptions</c>. ServiceProviderConfig advertises them.
/// </summary>
public sealed class ScimProtocolOptions
{
    /// <summary>How long a cursor stays usable after the page that returned it (RFC 9865 <c>cursorTimeout</c>), in seconds.</summary>
    public int CursorTimeoutSeconds { get; set; } = 3600;

    /// <summary>Most operations one <c>POST /Bulk</c> may carry (<c>bulk.maxOperations</c>); more → 413.</summary>
    public int BulkMaxOperations { get; set; } = 1000;

    /// <summary>Largest <c>POST /Bulk</c> body in bytes (<c>bulk.maxPayloadSize</c>); larger → 413.</summary>
    public int BulkMaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>How many independent bulk operations (or chunks of creates) run at once.</summary>
    public int BulkParallelism { get; set; } = 8;

    /// <summary>
    /// Independent creates of one bulk request are validated and written this many at a time, sharing store
    /// transactions; each is still its own atomic commit.
    /// </summary>
    public int BulkCreateChunkSize { get; set; } = 100;
}
