using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>Builders for rows, commits and bound filters, shared by the store contract suite.</summary>
public static class StoreTestData
{
    public const string Enterprise = ScimUris.EnterpriseUser;

    /// <summary>A user's JSON as the grains store it (no meta/groups/password).</summary>
    public static string UserJson(
        string id,
        string userName,
        string? displayName = null,
        string? externalId = null,
        bool? active = null,
        IReadOnlyList<(string Type, string Value)>? emails = null,
        string? givenName = null,
        string? department = null,
        string? title = null)
    {
        var json = new JsonObject
        {
            ["schemas"] = department is null ? new JsonArray(ScimUris.User) : new JsonArray(ScimUris.User, Enterprise),
            ["id"] = id,
            ["userName"] = userName,
        };
        if (externalId is not null)
        {
            json["externalId"] = externalId;
        }

        if (displayName is not null)
        {
            json["displayName"] = displayName;
        }

        if (givenName is not null)
        {
            json["name"] = new JsonObject { ["givenName"] = givenName };
        }

        if (title is not null)
        {
            json["title"] = title;
        }

        if (active is not null)
        {
            json["active"] = active.Value;
        }

        if (emails is not null)
        {
            var array = new JsonArray();
            foreach (var (type, value) in emails)
            {
                array.Add(new JsonObject { ["type"] = type, ["value"] = value });
            }

            json["emails"] = array;
        }

        if (department is not null)
        {
            json[Enterprise] = new JsonObject { ["department"] = department };
        }

        return json.ToJsonString();
    }

    public static string GroupJson(string id, string displayName, string? externalId = null)
    {
        var json = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.Group),
            ["id"] = id,
            ["displayName"] = displayName,
        };
        if (externalId is not null)
        {
            json["externalId"] = externalId;
        }

        return json.ToJsonString();
    }

    public static AttributePath Path(string attribute, string? sub = null, string? urn = null) => new(urn, attribute, sub);

    public static ComparisonNode Compare(string attribute, ComparisonOperator op, string value, string? sub = null, string? urn = null) =>
        new(Path(attribute, sub, urn), op, JsonValue.Create(value));

    public static ComparisonNode Eq(string attribute, string value, string? sub = null, string? urn = null) =>
        Compare(attribute, ComparisonOperator.Eq, value, sub, urn);

    public static ComparisonNode Eq(string attribute, bool value) =>
        new(Path(attribute), ComparisonOperator.Eq, JsonValue.Create(value));

    public static AndNode And(FilterNode left, FilterNode right) => new(left, right);

    public static OrNode Or(FilterNode left, FilterNode right) => new(left, right);

    public static NotNode Not(FilterNode inner) => new(inner);

    /// <summary>Entra's <c>emails[type eq "work"].value eq "x"</c>, as the parser produces it.</summary>
    public static ValuePathNode WorkEmail(string value) =>
        new(Path("emails"), And(Eq("type", "work"), Eq("value", value)));
}
