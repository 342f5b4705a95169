namespace ScimOrleans.Storage;

/// <summary>One page of a list query.</summary>
/// <param name="Groups">
/// When the query asked <see cref="ResourceQuery.WithGroups"/> of users: for every row, exactly what
/// <see cref="IScimStore.GetGroupsOfMembersAsync"/> answers for it; otherwise null.
/// </param>
public sealed record QueryPage(
    int TotalResults,
    IReadOnlyList<ResourceRow> Rows,
    IReadOnlyDictionary<string, IReadOnlyList<GroupMembershipEntry>>? Groups = null);
