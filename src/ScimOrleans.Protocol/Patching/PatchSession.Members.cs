using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Patching;

/// <summary>Group members and the password: both live outside the attribute document.</summary>
internal sealed partial class PatchSession
{
    private void ApplyMembers(PatchOperationKind kind, FilterNode? filter, AttributeDefinition? sub, JsonNode? value)
    {
        if (sub is not null)
        {
            throw ScimException.InvalidPath("Sub-attributes of 'members' cannot be modified; add or remove whole members.");
        }

        switch (kind)
        {
            case PatchOperationKind.Add:
            case PatchOperationKind.Replace:
                if (filter is not null)
                {
                    throw ScimException.InvalidPath(
                        $"A value filter on 'members' is only supported with remove; use remove and add to change members.");
                }

                if (kind == PatchOperationKind.Replace)
                {
                    _members.Clear();
                }

                _members.Touch();
                foreach (var member in MemberParser.Parse(value))
                {
                    _members.Add(member);
                }

                break;

            case PatchOperationKind.Remove:
                if (filter is not null)
                {
                    _members.Touch();
                    foreach (var id in MemberFilterIds(filter))
                    {
                        _members.Remove(id);
                    }
                }
                else if (value is not null)
                {
                    // Entra's default shape: path "members" plus the members to remove. Never "remove all".
                    _members.Touch();
                    foreach (var member in MemberParser.Parse(value))
                    {
                        _members.Remove(member.Value);
                    }
                }
                else
                {
                    _members.Clear();
                }

                break;
        }
    }

    /// <summary>The ids named by <c>value eq "a" or value eq "b"</c>; any other filter is refused.</summary>
    private static List<string> MemberFilterIds(FilterNode filter)
    {
        var ids = new List<string>();
        if (!Collect(filter))
        {
            throw ScimException.InvalidFilter(
                "Only 'value eq \"id\"' filters, optionally joined with 'or', are supported on 'members'.");
        }

        return ids;

        bool Collect(FilterNode node)
        {
            switch (node)
            {
                case OrNode or:
                    return Collect(or.Left) && Collect(or.Right);
                case ComparisonNode
                {
                    Operator: ComparisonOperator.Eq,
                    Path: { SchemaUrn: null, SubAttribute: null } path,
                    Value: { } value,
                } when string.Equals(path.Attribute, "value", StringComparison.OrdinalIgnoreCase)
                    && value.GetValueKind() == JsonValueKind.String:
                    ids.Add(value.GetValue<string>());
                    return true;
                default:
                    return false;
            }
        }
    }

    private void ApplyPassword(PatchOperationKind kind, FilterNode? filter, AttributeDefinition? sub, JsonNode? value)
    {
        if (filter is not null || sub is not null)
        {
            throw ScimException.InvalidPath("'password' has no sub-attributes or values to filter.");
        }

        if (kind == PatchOperationKind.Remove || value is null
            || (value is JsonValue empty && empty.GetValueKind() == JsonValueKind.String && empty.GetValue<string>().Length == 0))
        {
            _newPassword = null;
            _passwordCleared = true;
            return;
        }

        if (value is not JsonValue text || text.GetValueKind() != JsonValueKind.String)
        {
            throw ScimException.InvalidValue("'password' must be a string.");
        }

        _newPassword = text.GetValue<string>();
        _passwordCleared = false;
    }
}
