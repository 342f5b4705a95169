using System.Text.Json;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// Filters on User <c>groups</c>, which is never stored with the user: it is read from the membership edges, direct
/// and through nested groups, exactly as the response shows it (a group reached both ways counts once, as direct).
/// <c>groups.value eq "g"</c> — how a client pages through a big group's members — reads the group's members once
/// (when the tenant is known) instead of walking every user's groups.
/// </summary>
internal sealed partial class QuerySqlTranslator
{
    private bool IsGroupsAttribute(AttributePath path) =>
        _kind == ResourceKind.User && path.SchemaUrn is null && Is(path.Attribute, "groups");

    private string GroupsComparison(AttributePath path, ComparisonNode node)
    {
        if (path.SubAttribute is null)
        {
            throw ScimException.InvalidFilter("Comparing 'groups' needs a sub-attribute such as 'groups.value'.");
        }

        var sub = path.SubAttribute;
        if (MembersOf(sub, node.Operator, node.Value) is { } members)
        {
            return members;
        }

        _ = GroupOperand("g", sub);
        return AnyValue(GroupsExist, alias => GroupOperand(alias, sub), node.Operator, node.Value);
    }

    private string GroupsPresent(AttributePath path)
    {
        if (path.SubAttribute is { } sub)
        {
            return GroupsExist(alias => PresentOperand(GroupOperand(alias, sub)));
        }

        // Any group at all means a direct edge: an indirect one needs a direct one below it.
        var edge = NextAlias();
        return $"EXISTS (SELECT 1 FROM memberships {edge} WHERE {edge}.tenant_id = {Row}.tenant_id AND {edge}.member_id = {Row}.id AND {edge}.member_kind = {(int)ResourceKind.User})";
    }

    private string GroupsValuePath(ValuePathNode node)
    {
        if (node.Filter is ComparisonNode { Path: { SchemaUrn: null, SubAttribute: null } inner } comparison
            && MembersOf(inner.Attribute, comparison.Operator, comparison.Value) is { } members)
        {
            return members;
        }

        return GroupsExist(alias => Node(node.Filter, new Scope(
            (sub, _) => GroupOperand(alias, sub),
            sub => PresentOperand(GroupOperand(alias, sub)),
            this)));
    }

    /// <summary>
    /// <c>groups.value eq "g"</c> as "the row is among g's members, direct or nested": one uncorrelated walk down from
    /// the group, which the engine evaluates once per query. Needs the tenant as a parameter; null when not applicable.
    /// </summary>
    private string? MembersOf(string subAttribute, ComparisonOperator op, System.Text.Json.Nodes.JsonValue? value)
    {
        if (_tenantId is null || op != ComparisonOperator.Eq || !Is(subAttribute, "value")
            || value is null || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }

        var tenant = _parameters.Add(_tenantId);
        var group = _parameters.Add(value.GetValue<string>());
        var d = NextAlias();
        return $"{Row}.id IN (WITH RECURSIVE {d} (id, kind) AS (" +
            $"SELECT {d}m.member_id, {d}m.member_kind FROM memberships {d}m WHERE {d}m.tenant_id = {tenant} AND {d}m.group_id = {group}" +
            $" UNION SELECT {d}n.member_id, {d}n.member_kind FROM {d} JOIN memberships {d}n" +
            $" ON {d}n.tenant_id = {tenant} AND {d}n.group_id = {d}.id WHERE {d}.kind = {(int)ResourceKind.Group})" +
            $" SELECT {d}.id FROM {d} WHERE {d}.kind = {(int)ResourceKind.User})";
    }

    /// <summary>
    /// <c>EXISTS</c> over the user's groups: a walk up the edges (UNION ends it even when nesting has a cycle), one row
    /// per group with <c>direct</c> 1 when any edge to it is direct, and the group's row for its display name.
    /// </summary>
    private string GroupsExist(Func<string, string> predicate)
    {
        var a = NextAlias();
        var g = a + "g";
        var ancestors =
            $"WITH RECURSIVE {a} (group_id, direct) AS (" +
            $"SELECT {a}m.group_id, 1 FROM memberships {a}m WHERE {a}m.tenant_id = {Row}.tenant_id AND {a}m.member_id = {Row}.id AND {a}m.member_kind = {(int)ResourceKind.User}" +
            $" UNION SELECT {a}p.group_id, 0 FROM {a} JOIN memberships {a}p{_dialect.MemberIndexHint}" +
            $" ON {a}p.tenant_id = {Row}.tenant_id AND {a}p.member_id = {a}.group_id AND {a}p.member_kind = {(int)ResourceKind.Group})";
        return $"EXISTS ({ancestors} SELECT 1 FROM (SELECT {a}.group_id AS group_id, MAX({a}.direct) AS direct FROM {a} GROUP BY {a}.group_id) {g}" +
            $" LEFT JOIN resources {g}r ON {g}r.tenant_id = {Row}.tenant_id AND {g}r.kind = {(int)ResourceKind.Group} AND {g}r.id = {g}.group_id" +
            $" WHERE {predicate(g)})";
    }

    /// <summary>A sub-attribute of one entry of <c>groups</c> inside <see cref="GroupsExist"/> (alias <paramref name="g"/>).</summary>
    private static Operand GroupOperand(string g, string subAttribute) => subAttribute switch
    {
        var s when Is(s, "value") => new Operand("groups.value", g + ".group_id", AttributeType.String, CaseExact: true),
        var s when Is(s, "display") => new Operand("groups.display", g + "r.display_name", AttributeType.String, CaseExact: false),
        var s when Is(s, "type") => new Operand(
            "groups.type",
            $"(CASE WHEN {g}.direct = 1 THEN 'direct' ELSE 'indirect' END)",
            AttributeType.String,
            CaseExact: false),
        _ => throw Unsupported($"filtering on 'groups.{subAttribute}'"),
    };
}
