using System.Text.Json;

namespace ScimOrleans.Storage.Sql;

/// <summary>The events the store itself emits for every membership edge it adds or removes.</summary>
internal static class MembershipEvents
{
    public const string UserAdded = "group.user_added";
    public const string UserRemoved = "group.user_removed";
    public const string GroupAdded = "group.group_added";
    public const string GroupRemoved = "group.group_removed";

    /// <summary>The event for one edge: resource is the group; data names group, member and member type.</summary>
    public static EventDraft For(string groupId, string memberId, ResourceKind memberKind, bool added)
    {
        var type = (memberKind, added) switch
        {
            (ResourceKind.User, true) => UserAdded,
            (ResourceKind.User, false) => UserRemoved,
            (_, true) => GroupAdded,
            _ => GroupRemoved,
        };
        return new EventDraft(type, ResourceKind.Group, groupId, Data(groupId, memberId, memberKind));
    }

    /// <summary>What a membership event's data starts with, before the JSON string of the group id.</summary>
    public const string DataHead = "{\"groupId\":";

    /// <summary>
    /// A membership event's data after the group id: <c>,"memberId":…,"memberType":…}</c>. The PostgreSQL store's
    /// single-trip deactivation writes the group id itself (it learns it only from the edges it deletes).
    /// </summary>
    public static string DataTail(string memberId, ResourceKind memberKind) =>
        ",\"memberId\":" + JsonString(memberId) + DataAfterMember(memberKind);

    /// <summary>
    /// A membership event's data up to the member id: <c>{"groupId":…,"memberId":</c>. The PostgreSQL store's
    /// single-trip group edit writes the member id itself (it learns which edges changed only as it changes them).
    /// </summary>
    public static string DataBeforeMember(string groupId) => DataHead + JsonString(groupId) + ",\"memberId\":";

    /// <summary>A membership event's data after the member id: <c>,"memberType":…}</c>.</summary>
    public static string DataAfterMember(ResourceKind memberKind) =>
        memberKind == ResourceKind.User ? ",\"memberType\":\"User\"}" : ",\"memberType\":\"Group\"}";

    private static string Data(string groupId, string memberId, ResourceKind memberKind) =>
        DataBeforeMember(groupId) + JsonString(memberId) + DataAfterMember(memberKind);

    /// <summary>A JSON string, escaped as System.Text.Json's writers escape by default.</summary>
    private static string JsonString(string value) => $"\"{JsonEncodedText.Encode(value)}\"";
}
