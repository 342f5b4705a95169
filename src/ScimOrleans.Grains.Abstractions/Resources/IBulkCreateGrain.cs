namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>
/// Creates many resources of one tenant at once, for <c>POST /Bulk</c>: each is validated exactly as
/// <see cref="IResourceGrain.Create"/> validates it and written as its own atomic commit, but the commits share store
/// transactions instead of paying one each, and no resource grain is activated for a resource nobody has read yet.
/// Key: the tenant id. A stateless worker: activations are local to the calling silo and hold no state.
/// </summary>
public interface IBulkCreateGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the users as if each were created alone, in list order; the results are in that order, each exactly
    /// what <see cref="IResourceGrain.Create"/> of an <see cref="IUserGrain"/> would have answered.
    /// </summary>
    Task<IReadOnlyList<ResourceResult>> CreateUsers(IReadOnlyList<NewResource> users);

    /// <summary>As <see cref="CreateUsers"/>, for groups (with their members, if the bodies name any).</summary>
    Task<IReadOnlyList<ResourceResult>> CreateGroups(IReadOnlyList<NewResource> groups);
}
