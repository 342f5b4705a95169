using System.Text.Json.Nodes;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>Request bodies shaped like the ones real IdPs send (see the field notes).</summary>
internal static class Payloads
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>An Entra-style user create (no groups, enterprise extension, work email).</summary>
    public static JsonObject EntraUser(string userName, string externalId) => new()
    {
        ["schemas"] = new JsonArray(
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"),
        ["externalId"] = externalId,
        ["userName"] = userName,
        ["active"] = true,
        ["displayName"] = "Test User",
        ["emails"] = new JsonArray(new JsonObject { ["primary"] = true, ["type"] = "work", ["value"] = userName }),
        ["meta"] = new JsonObject { ["resourceType"] = "User" },
        ["name"] = new JsonObject { ["familyName"] = "User", ["givenName"] = "Test", ["formatted"] = "Test User" },
        ["roles"] = new JsonArray(),
        ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = new JsonObject { ["department"] = "Sales" },
    };

    /// <summary>An Okta-style user create: password, empty groups, externalId = Okta id.</summary>
    public static JsonObject OktaUser(string userName) => new()
    {
        ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"),
        ["userName"] = userName,
        ["name"] = new JsonObject { ["givenName"] = "Okta", ["familyName"] = "Person" },
        ["emails"] = new JsonArray(new JsonObject { ["primary"] = true, ["value"] = userName, ["type"] = "work" }),
        ["displayName"] = "Okta Person",
        ["locale"] = "en-US",
        ["externalId"] = "00u" + Guid.NewGuid().ToString("N")[..17],
        ["groups"] = new JsonArray(),
        ["password"] = "1mz050nq",
        ["active"] = true,
    };

    public static JsonObject Group(string displayName, params string[] memberIds)
    {
        var group = new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:Group"),
            ["displayName"] = displayName,
        };
        if (memberIds.Length > 0)
        {
            group["members"] = new JsonArray([.. memberIds.Select(id => (JsonNode)new JsonObject { ["value"] = id })]);
        }

        return group;
    }

    public static JsonArray MemberValues(params string[] ids) =>
        new([.. ids.Select(id => (JsonNode)new JsonObject { ["$ref"] = null, ["value"] = id })]);
}
