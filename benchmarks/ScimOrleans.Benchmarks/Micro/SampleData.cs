using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Resources;

namespace ScimOrleans.Benchmarks.Micro;

/// <summary>Representative bodies: an Entra-shaped user, PatchOp requests of Entra and Okta, filters IdPs send.</summary>
public static class SampleData
{
    public const string PatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    public const string UserBody = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "externalId":"0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef","userName":"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com",
         "active":true,"displayName":"Barbara Jensen",
         "name":{"formatted":"Ms. Barbara J Jensen III","familyName":"Jensen","givenName":"Barbara"},
         "emails":[{"primary":true,"type":"work","value":"Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@contoso.com"}],
         "addresses":[{"type":"work","formatted":"1 Main St","streetAddress":"1 Main St","locality":"Redmond","region":"WA","postalCode":"98052","country":"US","primary":true}],
         "phoneNumbers":[{"type":"work","value":"+1 555 0100"},{"type":"mobile","value":"+1 555 0101"}],
         "title":"Engineer","preferredLanguage":"en-US",
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","department":"R&D","manager":"26118915-6090-4610-87e4-49d8ca9f808d"}}
        """;

    /// <summary>The stored attributes of <see cref="UserBody"/> after a create (with an id).</summary>
    public static JsonObject StoredUser()
    {
        var outcome = ResourceWriter.PrepareCreate(Protocol.Schemas.ScimSchemas.UserResource, ScimJson.ParseObject(UserBody));
        var stored = outcome.Resource;
        stored["id"] = "6f1c9f7e-1a0e-4f51-9a3e-0d6c6d6f4c11";
        return stored;
    }

    public const string GroupStored = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","externalId":"e-g1","displayName":"Engineering"}""";

    /// <summary>Entra: deactivation with a string boolean.</summary>
    public const string EntraDeactivate = $$"""{"schemas":["{{PatchOpSchema}}"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}""";

    /// <summary>Entra: an incremental update of several attributes, including a value-filter path and the enterprise manager.</summary>
    public const string EntraUpdate = $$"""
        {"schemas":["{{PatchOpSchema}}"],"Operations":[
         {"op":"Replace","path":"emails[type eq \"work\"].value","value":"new.address@contoso.com"},
         {"op":"Replace","path":"name.familyName","value":"Jensen-Smith"},
         {"op":"Add","path":"title","value":"Senior Engineer"},
         {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"4e5a1c33-6f6d-4a07-9d4e-5b1a4c8e2b10"}]}
        """;

    /// <summary>Okta: path-less replace.</summary>
    public const string OktaDeactivate = $$$"""{"schemas":["{{{PatchOpSchema}}}"],"Operations":[{"op":"replace","value":{"active":false}}]}""";

    /// <summary>Okta: path-less replace of several profile attributes.</summary>
    public const string OktaProfile = $$$"""
        {"schemas":["{{{PatchOpSchema}}}"],"Operations":[{"op":"replace","value":{"name.givenName":"Barb","title":"Staff Engineer","displayName":"Barb Jensen"}}]}
        """;

    /// <summary>Entra: one member added to a group.</summary>
    public const string EntraAddMember = $$"""
        {"schemas":["{{PatchOpSchema}}"],"Operations":[{"op":"Add","path":"members","value":[{"value":"2819c223-7f76-453a-919d-413861904646"}]}]}
        """;

    /// <summary>Entra: one member removed, by value array.</summary>
    public const string EntraRemoveMember = $$"""
        {"schemas":["{{PatchOpSchema}}"],"Operations":[{"op":"Remove","path":"members","value":[{"value":"2819c223-7f76-453a-919d-413861904646"}]}]}
        """;

    /// <summary>Okta: 100 members added in one PATCH.</summary>
    public static string OktaAddHundredMembers { get; } =
        $$"""{"schemas":["{{PatchOpSchema}}"],"Operations":[{"op":"add","path":"members","value":[""" +
        string.Join(',', Enumerable.Range(0, 100).Select(i => $$"""{"value":"{{Guid.NewGuid()}}","display":"user{{i}}"}""")) +
        "]}]}";

    public const string UserNameEq = "userName eq \"Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@contoso.com\"";

    public const string EntraWorkEmail = "emails[type eq \"work\" and value eq \"Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@contoso.com\"]";

    public const string Complex =
        "(title sw \"Eng\" or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"R&D\") and not (active eq false) and meta.lastModified gt \"2020-01-01T00:00:00Z\" and phoneNumbers[type eq \"mobile\"]";
}
