using System.Buffers;
using System.Text;
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

    private static string Data(string groupId, string memberId, ResourceKind memberKind)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("groupId", groupId);
            writer.WriteString("memberId", memberId);
            writer.WriteString("memberType", memberKind == ResourceKind.User ? "User" : "Group");
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
