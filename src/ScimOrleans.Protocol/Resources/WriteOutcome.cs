using System.Text.Json.Nodes;

namespace ScimOrleans.Protocol.Resources;

/// <summary>
/// The result of preparing a create, a replace or a patch.
/// </summary>
/// <param name="Resource">
/// The resource's stored attributes after the write: canonical attribute names, normalised values, <c>schemas</c>
/// listing the core URN and every extension in use, and the <c>id</c> of the current resource (none on create).
/// Never contains <c>meta</c>, <c>password</c>, <c>groups</c> (User) or <c>members</c> (Group).
/// </param>
/// <param name="Members">For groups: how membership changes; null when the request leaves members untouched.</param>
/// <param name="NewPassword">A password set by this write, in clear text, for the caller to hash; null if none.</param>
/// <param name="PasswordCleared">True when this write removed the password.</param>
/// <param name="IgnoredAttributes">Attributes of the request that were not in the schema and were dropped.</param>
/// <param name="Changed">True when <paramref name="Resource"/> differs from the current resource (always true on create).</param>
public sealed record WriteOutcome(
    JsonObject Resource,
    MemberChanges? Members,
    string? NewPassword,
    bool PasswordCleared,
    IReadOnlyList<string> IgnoredAttributes,
    bool Changed);
