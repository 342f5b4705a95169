using System.Net;
using System.Text.Json.Nodes;
using ScimOrleans.Silo.Tests.Infrastructure;

namespace ScimOrleans.Silo.Tests.EndToEnd;

/// <summary>
/// Replays what Microsoft Entra ID's provisioning service sends without the aadOptscim062020 flag
/// ("Replace"/"Add" ops, string booleans, member removal by value array), checking resources and the event feed
/// after each step.
/// </summary>
public abstract class EntraSequenceTests(ScimServerFixture fixture)
{
    private readonly ScimServer server = fixture.Server;

    [Fact]
    public async Task Test_connection_lookup_of_a_random_id_answers_an_empty_list()
    {
        using var scim = server.Client();
        var response = (await scim.GetAsync($"Users?filter=userName eq \"{Guid.NewGuid()}\"")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, response.Json["totalResults"]!.GetValue<int>());
        Assert.Equal("urn:ietf:params:scim:api:messages:2.0:ListResponse", response.Json["schemas"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Full_user_and_group_lifecycle_as_entra_sends_it()
    {
        using var scim = server.Client();
        var feed = new EventFeed(server.BaseAddress, ScimServer.Tenant, ScimServer.TenantToken);
        await feed.SkipToEndAsync();
        var upn = Payloads.Unique("entra") + "@contoso.com";

        // Match by userName, nothing there, create.
        var lookup = (await scim.GetAsync($"Users?filter=userName eq \"{upn}\"")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, lookup.Json["totalResults"]!.GetValue<int>());
        var created = (await scim.PostAsync("Users", Payloads.EntraUser(upn, "mailnick"))).Expect(HttpStatusCode.Created);
        var userId = created.Id;
        Assert.Equal(created.Json["meta"]!["location"]!.GetValue<string>(), created.Headers.Location!.ToString());
        Assert.Equal(created.Json["meta"]!["version"]!.GetValue<string>(), created.Headers.ETag!.ToString());
        Assert.Equal(upn, created.Json["userName"]!.GetValue<string>());
        Assert.Equal("User", created.Json["meta"]!["resourceType"]!.GetValue<string>());
        Assert.Equal("Sales", created.Json["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]!["department"]!.GetValue<string>());
        Assert.Equal(["user.created"], EventFeed.Types(await feed.ReadNewAsync()));

        // Later cycles find it by externalId and by work email too.
        var byExternalId = (await scim.GetAsync("Users?filter=externalId eq \"mailnick\" and userName eq \"" + upn + "\"")).Expect(HttpStatusCode.OK);
        Assert.Equal(userId, byExternalId.Json["Resources"]![0]!["id"]!.GetValue<string>());
        var byEmail = (await scim.GetAsync($"Users?filter=emails[type eq \"work\"].value eq \"{upn.ToUpperInvariant()}\"")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, byEmail.Json["totalResults"]!.GetValue<int>());

        // Attribute updates, one capitalised op per path.
        var newEmail = "renamed-" + upn;
        var updated = (await scim.PatchAsync($"Users/{userId}", ScimClient.PatchOp(
            ("Replace", "emails[type eq \"work\"].value", newEmail),
            ("Replace", "name.familyName", "Renamed"),
            ("Add", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "E-42")))).Expect(HttpStatusCode.OK);
        Assert.Equal("Renamed", updated.Json["name"]!["familyName"]!.GetValue<string>());
        Assert.Equal(newEmail, updated.Json["emails"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("E-42", updated.Json["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]!["employeeNumber"]!.GetValue<string>());
        Assert.NotEqual(created.Json["meta"]!["version"]!.GetValue<string>(), updated.Json["meta"]!["version"]!.GetValue<string>());
        var updateEvents = await feed.ReadNewAsync();
        Assert.Equal(["user.updated"], EventFeed.Types(updateEvents));
        Assert.Equal("Renamed", updateEvents[0]["data"]!["name"]!["familyName"]!.GetValue<string>());

        // Manager as a bare string, then removed with an empty Replace.
        var manager = (await scim.PostAsync("Users", Payloads.EntraUser(Payloads.Unique("mgr") + "@contoso.com", "mgr"))).Expect(HttpStatusCode.Created);
        var withManager = (await scim.PatchAsync($"Users/{userId}", ScimClient.PatchOp(
            ("Add", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", manager.Id)))).Expect(HttpStatusCode.OK);
        Assert.Equal(manager.Id, withManager.Json["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]!["manager"]!["value"]!.GetValue<string>());
        var withoutManager = (await scim.PatchAsync($"Users/{userId}", ScimClient.PatchOp(
            ("Replace", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "")))).Expect(HttpStatusCode.OK);
        Assert.Null(withoutManager.Json["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?["manager"]);

        // Group: lookup with excludedAttributes=members, create with Entra's extra schema URN, no members.
        var groupName = Payloads.Unique("Entra Group");
        var groupLookup = (await scim.GetAsync($"Groups?excludedAttributes=members&filter=displayName eq \"{groupName}\"")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, groupLookup.Json["totalResults"]!.GetValue<int>());
        var groupBody = Payloads.Group(groupName);
        groupBody["schemas"]!.AsArray().Add("http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group");
        groupBody["externalId"] = Guid.NewGuid().ToString();
        var group = (await scim.PostAsync("Groups", groupBody)).Expect(HttpStatusCode.Created);
        var groupId = group.Id;
        await feed.ReadNewAsync();

        // Add members: 204, and Entra's read with excludedAttributes=members never shows them.
        var other = (await scim.PostAsync("Users", Payloads.EntraUser(Payloads.Unique("other") + "@contoso.com", "other"))).Expect(HttpStatusCode.Created);
        (await scim.PatchAsync($"Groups/{groupId}", ScimClient.PatchOp(("Add", "members", Payloads.MemberValues(userId, other.Id))))).Expect(HttpStatusCode.NoContent);
        var slim = (await scim.GetAsync($"Groups/{groupId}?excludedAttributes=members")).Expect(HttpStatusCode.OK);
        Assert.Null(slim.Json["members"]);
        Assert.Equal(groupName, slim.Json["displayName"]!.GetValue<string>());
        var full = (await scim.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(new[] { other.Id, userId }.Order(), MemberIds(full.Json).Order());
        var addEvents = await feed.ReadNewAsync();
        Assert.Equal(["user.created", "group.user_added", "group.user_added"], EventFeed.Types(addEvents));
        var userWithGroups = (await scim.GetAsync($"Users/{userId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(groupId, userWithGroups.Json["groups"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("direct", userWithGroups.Json["groups"]![0]!["type"]!.GetValue<string>());

        // Re-adding an existing member changes nothing, not even the version.
        var versionBefore = full.Json["meta"]!["version"]!.GetValue<string>();
        (await scim.PatchAsync($"Groups/{groupId}", ScimClient.PatchOp(("Add", "members", Payloads.MemberValues(userId))))).Expect(HttpStatusCode.NoContent);
        var unchanged = (await scim.GetAsync($"Groups/{groupId}?excludedAttributes=members")).Expect(HttpStatusCode.OK);
        Assert.Equal(versionBefore, unchanged.Json["meta"]!["version"]!.GetValue<string>());
        Assert.Empty(await feed.ReadNewAsync());

        // Entra's default remove shape removes exactly the listed member, never the whole group.
        (await scim.PatchAsync($"Groups/{groupId}", ScimClient.PatchOp(("Remove", "members", Payloads.MemberValues(other.Id))))).Expect(HttpStatusCode.NoContent);
        var afterRemove = (await scim.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.OK);
        Assert.Equal([userId], MemberIds(afterRemove.Json));
        var removeEvents = await feed.ReadNewAsync();
        Assert.Equal(["group.user_removed"], EventFeed.Types(removeEvents));
        Assert.Equal(other.Id, removeEvents[0]["data"]!["memberId"]!.GetValue<string>());

        // Rename answers 204.
        (await scim.PatchAsync($"Groups/{groupId}", ScimClient.PatchOp(("Replace", "displayName", groupName + " renamed")))).Expect(HttpStatusCode.NoContent);
        Assert.Equal(["group.updated"], EventFeed.Types(await feed.ReadNewAsync()));

        // Deactivate with the string "False": user stays readable and filterable, leaves every group (default policy).
        var deactivated = (await scim.PatchAsync($"Users/{userId}", ScimClient.PatchOp(("Replace", "active", "False")))).Expect(HttpStatusCode.OK);
        Assert.False(deactivated.Json["active"]!.GetValue<bool>());
        Assert.Null(deactivated.Json["groups"]);
        var deactivationEvents = await feed.ReadNewAsync();
        Assert.Equal(["user.deactivated", "group.user_removed"], EventFeed.Types(deactivationEvents));
        var stillThere = (await scim.GetAsync($"Users?filter=userName eq \"{upn}\"")).Expect(HttpStatusCode.OK);
        Assert.Equal(1, stillThere.Json["totalResults"]!.GetValue<int>());
        Assert.False(stillThere.Json["Resources"]![0]!["active"]!.GetValue<bool>());
        var emptied = (await scim.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.OK);
        Assert.Empty(MemberIds(emptied.Json));

        // Reactivate with "True" on the same id; memberships are not restored.
        var reactivated = (await scim.PatchAsync($"Users/{userId}", ScimClient.PatchOp(("Replace", "active", "True")))).Expect(HttpStatusCode.OK);
        Assert.True(reactivated.Json["active"]!.GetValue<bool>());
        Assert.Equal(["user.reactivated"], EventFeed.Types(await feed.ReadNewAsync()));

        // Hard delete: 404 afterwards, gone from lists, userName free again.
        (await scim.PatchAsync($"Groups/{groupId}", ScimClient.PatchOp(("Add", "members", Payloads.MemberValues(userId))))).Expect(HttpStatusCode.NoContent);
        await feed.ReadNewAsync();
        (await scim.DeleteAsync($"Users/{userId}")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(["user.deleted", "group.user_removed"], EventFeed.Types(await feed.ReadNewAsync()));
        (await scim.GetAsync($"Users/{userId}")).Expect(HttpStatusCode.NotFound);
        var gone = (await scim.GetAsync($"Users?filter=userName eq \"{upn}\"")).Expect(HttpStatusCode.OK);
        Assert.Equal(0, gone.Json["totalResults"]!.GetValue<int>());
        Assert.Empty(MemberIds((await scim.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.OK).Json));
        (await scim.PostAsync("Users", Payloads.EntraUser(upn, "mailnick"))).Expect(HttpStatusCode.Created);

        (await scim.DeleteAsync($"Groups/{groupId}")).Expect(HttpStatusCode.NoContent);
        (await scim.GetAsync($"Groups/{groupId}")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Member_removal_by_filter_path_as_sent_with_the_flag()
    {
        using var scim = server.Client();
        var a = (await scim.PostAsync("Users", Payloads.EntraUser(Payloads.Unique("fa") + "@x.com", "fa"))).Expect(HttpStatusCode.Created).Id;
        var b = (await scim.PostAsync("Users", Payloads.EntraUser(Payloads.Unique("fb") + "@x.com", "fb"))).Expect(HttpStatusCode.Created).Id;
        var group = (await scim.PostAsync("Groups", Payloads.Group(Payloads.Unique("flag"), a, b))).Expect(HttpStatusCode.Created).Id;

        (await scim.PatchAsync($"Groups/{group}", ScimClient.PatchOp(("remove", $"members[value eq \"{a}\"]", null)))).Expect(HttpStatusCode.NoContent);

        var after = (await scim.GetAsync($"Groups/{group}")).Expect(HttpStatusCode.OK);
        Assert.Equal([b], MemberIds(after.Json));
    }

    [Fact]
    public async Task Path_less_replace_with_dotted_and_urn_keys_updates_each_attribute()
    {
        using var scim = server.Client();
        var id = (await scim.PostAsync("Users", Payloads.EntraUser(Payloads.Unique("dot") + "@x.com", "dot"))).Expect(HttpStatusCode.Created).Id;

        var patched = (await scim.PatchAsync($"Users/{id}", ScimClient.PatchOp(("replace", null, new JsonObject
        {
            ["displayName"] = "Dotted Name",
            ["name.givenName"] = "Dot",
            ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"] = "77",
        })))).Expect(HttpStatusCode.OK);

        Assert.Equal("Dotted Name", patched.Json["displayName"]!.GetValue<string>());
        Assert.Equal("Dot", patched.Json["name"]!["givenName"]!.GetValue<string>());
        Assert.Equal("77", patched.Json["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]!["employeeNumber"]!.GetValue<string>());
    }

    internal static List<string> MemberIds(JsonObject group) =>
        group["members"] is JsonArray members ? [.. members.Select(m => m!["value"]!.GetValue<string>())] : [];
}

/// <summary><see cref="EntraSequenceTests"/> on the embedded host (SQLite).</summary>
public sealed class EntraSequenceTestsOnSqlite(SqliteServerFixture fixture) : EntraSequenceTests(fixture), IClassFixture<SqliteServerFixture>;

/// <summary><see cref="EntraSequenceTests"/> on a single-silo cluster-mode host (PostgreSQL).</summary>
[RequiresPostgres]
[Collection(PostgresCollection.Name)]
public sealed class EntraSequenceTestsOnPostgres(PostgresServerFixture fixture) : EntraSequenceTests(fixture), IClassFixture<PostgresServerFixture>;
