using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// One operation of a BulkRequest, checked but not yet run. <see cref="Error"/> is set when the operation itself is
/// malformed: it is then reported with that error and never executed. <see cref="TargetId"/> is the resource id of a
/// PUT/PATCH/DELETE path — possibly <c>bulkId:x</c>, resolved when the operation runs. <see cref="Data"/> is the
/// operation's <c>data</c> object as JSON text; <see cref="References"/> are the bulkIds it and the path refer to.
/// </summary>
internal sealed record BulkOperationRequest(
    int Index,
    string Method,
    string? BulkId,
    string? Path,
    string? Version,
    string? Data,
    ResourceKind Kind,
    string? TargetId,
    IReadOnlySet<string> References,
    ScimException? Error)
{
    public bool IsCreate => Method == "POST";

    /// <summary><see cref="Data"/> with every bulkId reference replaced by the id it stands for.</summary>
    public string? ResolvedData(Func<string, string> resolve) =>
        Data is null || References.Count == 0 ? Data : BulkReferences.Replace(ScimJson.ParseObject(Data), resolve).ToJsonString();
}
