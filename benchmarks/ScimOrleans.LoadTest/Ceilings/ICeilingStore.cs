using System.Text.Json.Nodes;

namespace ScimOrleans.LoadTest.Ceilings;

/// <summary>
/// What a ceiling app keeps. The HTTP and JSON work around it is shared (<see cref="CeilingApp"/>), so the memory and
/// the durable ceiling differ only in where the state lives: a dictionary, or one PostgreSQL statement per request.
/// </summary>
internal interface ICeilingStore : IAsyncDisposable
{
    string Description { get; }

    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new user; false when the userName is taken (case-insensitively).</summary>
    Task<bool> CreateUserAsync(string tenant, string id, string userNameKey, JsonObject document, CancellationToken cancellationToken);

    Task<string?> GetUserAsync(string tenant, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> FindByUserNameAsync(string tenant, string userNameKey, CancellationToken cancellationToken);

    /// <summary>A page of users in creation order (offset 0-based) and the tenant's user count.</summary>
    Task<(int Total, IReadOnlyList<string> Documents)> PageAsync(string tenant, int offset, int count, CancellationToken cancellationToken);

    /// <summary>Applies attribute sets to a user in one write; returns the new document, or null when the user does not exist.</summary>
    Task<string?> PatchUserAsync(string tenant, string id, IReadOnlyList<AttributeSet> sets, CancellationToken cancellationToken);

    Task<bool> CreateGroupAsync(string tenant, string id, string displayNameKey, JsonObject document, CancellationToken cancellationToken);

    /// <summary>Adds members (existing users) to a group in one write; false when the group does not exist.</summary>
    Task<bool> AddMembersAsync(string tenant, string groupId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken);
}

/// <summary>
/// One attribute write of a PATCH: <see cref="Path"/> (top-level name, or name and sub-attribute) set to
/// <see cref="Value"/>; a null path merges the properties of the object <see cref="Value"/> into the resource.
/// </summary>
internal sealed record AttributeSet(string[]? Path, JsonNode? Value);
