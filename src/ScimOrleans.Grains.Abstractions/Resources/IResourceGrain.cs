namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>
/// One SCIM resource. Its grain serialises every mutation of the resource (non-reentrant), keeps a hot copy for
/// reads, and writes through to the store in one transaction per mutation. Key: <c>{tenant}/u/{id}</c> for users,
/// <c>{tenant}/g/{id}</c> for groups (see <see cref="ResourceKeys"/>).
/// </summary>
public interface IResourceGrain : IGrainWithStringKey
{
    /// <summary>Creates the resource from a POST body (JSON text).</summary>
    Task<ResourceResult> Create(string body);

    /// <summary>The current resource, or a 404 error.</summary>
    [ReadOnly]
    Task<ResourceResult> Get();

    /// <summary>Replaces the resource from a PUT body; <paramref name="ifMatch"/> is the request's If-Match header, if any.</summary>
    Task<ResourceResult> Replace(string body, string? ifMatch);

    /// <summary>Applies a PatchOp body.</summary>
    Task<ResourceResult> Patch(string body, string? ifMatch);

    /// <summary>Deletes the resource with its membership edges.</summary>
    Task<ResourceResult> Delete(string? ifMatch);

    /// <summary>Drops the hot copy: another grain changed this resource's row (for example its membership).</summary>
    [OneWay]
    Task Invalidate();
}
