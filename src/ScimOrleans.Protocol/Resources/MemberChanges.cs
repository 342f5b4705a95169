namespace ScimOrleans.Protocol.Resources;

/// <summary>
/// The net effect of a request on a group's membership edges, to be applied in this order: if
/// <see cref="ClearExisting"/>, drop every current edge; then remove <see cref="Removed"/>; then add
/// <see cref="Added"/>. A member never appears in both lists (the later operation of a PATCH wins). Computed
/// without reading the current members, so its cost is O(members named in the request).
/// </summary>
public sealed record MemberChanges(bool ClearExisting, IReadOnlyList<MemberReference> Added, IReadOnlyList<string> Removed)
{
    public static MemberChanges None { get; } = new(false, [], []);

    public bool IsEmpty => !ClearExisting && Added.Count == 0 && Removed.Count == 0;
}
