using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Patching;
using ScimOrleans.Protocol.Resources;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Tests.Patching;

internal static class PatchTestData
{
    public const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public const string User =
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
         "id":"u1","externalId":"ext-1","userName":"bjensen@example.com",
         "name":{"givenName":"Barbara","familyName":"Jensen"},
         "displayName":"Babs","active":true,
         "emails":[{"value":"bjensen@example.com","type":"work","primary":true},{"value":"babs@home.example","type":"home"}],
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Sales","manager":{"value":"m1","$ref":"../Users/m1"}}}
        """;

    public const string Group =
        """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","externalId":"e-g1","displayName":"Engineering"}""";

    public static WriteOutcome PatchUser(params string[] operations) => PatchUserFrom(User, operations);

    public static WriteOutcome PatchUserFrom(string current, params string[] operations) =>
        PatchEngine.Apply(ScimSchemas.UserResource, TestJson.Obj(current), TestJson.Patch(operations));

    public static WriteOutcome PatchGroup(params string[] operations) =>
        PatchEngine.Apply(ScimSchemas.GroupResource, TestJson.Obj(Group), TestJson.Patch(operations));

    public static JsonNode? Ext(WriteOutcome outcome) => outcome.Resource[Enterprise];
}
