using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// One operation of a BulkRequest, checked but not yet run. <see cref="Error"/> is set when the operation itself is
/// malformed: it is then reported with that error and never executed. <see cref="TargetId"/> is the resource id of a
/// PUT/PATCH/DELETE path — possibly <c>bulkId:x</c>, resolved when the operation runs.
/// </summary>
internal sealed record BulkOperationRequest(
    int Index,
    string Method,
    string? BulkId,
    string? Path,
    string? Version,
    JsonObject? Data,
    ResourceKind Kind,
    string? TargetId,
    IReadOnlySet<string> References,
    ScimException? Error)
{
    public bool IsCreate => Method == "POST";
}
