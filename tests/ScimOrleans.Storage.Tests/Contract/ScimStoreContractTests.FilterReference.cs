using System.Globalization;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Contract, part two: the SQL translation checked against the in-memory reference, <see cref="FilterEvaluator"/>: for every filter the
/// store must return exactly the users the evaluator accepts, with and without the schema in the query.
/// </summary>
public abstract partial class ScimStoreContractTests
{
    private const string Department = ScimUris.EnterpriseUser + ":department";

    public static TheoryData<string> Filters() =>
    [
        "userName eq \"ALICE\"",
        "userName ne \"alice\"",
        "userName co \"a\"",
        "userName sw \"B\"",
        "userName ew \".com\"",
        "userName gt \"b\"",
        "userName le \"bob\"",
        "title eq \"\"",
        "title pr",
        "not (title pr)",
        "title ne \"engineer\"",
        "title co \"ENGINEER\"",
        "displayName pr",
        "displayName eq \"dave ω\"",
        "displayName ne \"Alice\"",
        "active eq true",
        "active ne true",
        "active eq false",
        "externalId eq \"A1\"",
        "externalId eq \"a1\"",
        "externalId pr",
        "emails pr",
        "emails.value eq \"a@home.org\"",
        "emails.value ne \"bob@x.org\"",
        "emails.type eq \"work\"",
        "emails co \"EXAMPLE\"",
        "emails[type eq \"work\" and value co \"example\"]",
        "emails[type eq \"work\" and value eq \"alice@example.com\"]",
        "emails[type eq \"home\"]",
        "not (emails[type eq \"work\"])",
        "emails[not (type eq \"work\")]",
        "emails.value ew \".org\"",
        "emails.value eq null",
        "emails.value ne null",
        "name.givenName sw \"al\"",
        "name pr",
        "name.givenName eq null",
        Department + " eq \"r&d\"",
        Department + " pr",
        Department + " ne \"sales\"",
        "meta.created gt \"2024-05-01T08:00:02.0000020Z\"",
        "meta.lastModified le \"2024-05-01T08:00:02.0000020Z\"",
        "meta.created ge \"2024-05-01T08:00:02.0000015Z\"",
        "userName eq \"alice\" or active eq false",
        "(userName sw \"a\" or userName sw \"c\") and not (active eq false)",
        "not (userName eq \"alice\" or title pr)",
        "schemas eq \"" + ScimUris.EnterpriseUser + "\"",
    ];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Query_agrees_with_the_reference_evaluator(string text)
    {
        var users = await SeedAsync();
        var schema = ScimSchemas.UserResource;
        var filter = FilterBinder.Bind(FilterParser.Parse(text), schema);

        var expected = users
            .Where(u => FilterEvaluator.Matches(filter, WithMeta(u), schema))
            .Select(u => u.Id)
            .ToList();

        var withSchema = await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, filter, null, 1, 100, schema));
        Assert.Equal(expected, withSchema.Rows.Select(r => r.Id));
        Assert.Equal(expected.Count, withSchema.TotalResults);

        var builtIn = await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, filter, null, 1, 100));
        Assert.Equal(expected, builtIn.Rows.Select(r => r.Id));
    }

    private async Task<List<ResourceRow>> SeedAsync() =>
    [
        await CreateUserAsync("alice", displayName: "Alice", title: "Engineer", active: true, externalId: "A1",
            emails: [("work", "alice@example.com"), ("home", "a@home.org")], givenName: "Alice", department: "R&D"),
        await CreateUserAsync("Bob", active: false, title: "", externalId: "b1", emails: [("home", "bob@x.org")]),
        await CreateUserAsync("carol", title: "Senior Engineer", department: "Sales"),
        await CreateUserAsync("dave@example.com", displayName: "Dave Ω", emails: [("work", "DAVE@EXAMPLE.COM"), ("other", "d2@example.com")]),
    ];

    private static JsonObject WithMeta(ResourceRow row)
    {
        var json = JsonNode.Parse(row.Json)!.AsObject();
        json["meta"] = new JsonObject
        {
            ["resourceType"] = "User",
            ["created"] = row.Created.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["lastModified"] = row.LastModified.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        };
        return json;
    }
}
