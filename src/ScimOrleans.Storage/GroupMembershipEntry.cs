namespace ScimOrleans.Storage;

/// <summary>A group a member belongs to, directly or through nested groups.</summary>
public sealed record GroupMembershipEntry(string GroupId, string? DisplayName, bool Direct);
