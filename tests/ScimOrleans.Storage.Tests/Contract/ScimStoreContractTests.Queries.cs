using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;
using static ScimOrleans.Storage.Tests.Contract.StoreTestData;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Contract, part three: membership filters on User <c>groups</c>, dateTime attributes inside the JSON, sorting by the
/// primary value of multi-valued attributes, and keyset (cursor) paging in every order.
/// </summary>
public abstract partial class ScimStoreContractTests
{
    private const string Extension = "urn:example:params:scim:schemas:extension:acme:2.0:User";

    [Fact]
    public async Task Query_users_by_groups_value_finds_direct_and_nested_members()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");
        var carol = await CreateUserAsync("carol");
        var dave = await CreateUserAsync("dave");
        var g1 = await CreateGroupAsync("G1", members: [alice.Id]);
        var g2 = await CreateGroupAsync("G2", members: [g1.Id, bob.Id]);
        var g4 = await CreateGroupAsync("G4", members: [dave.Id]);
        var g5 = await CreateGroupAsync("G5", members: [g4.Id]);
        await UpdateGroupAsync(g4, add: [g5.Id]);

        Assert.Equal([alice.Id, bob.Id], await UserIds(Eq("groups", g2.Id, sub: "value")));
        Assert.Equal([alice.Id], await UserIds(Eq("groups", g1.Id, sub: "value")));
        Assert.Equal([dave.Id], await UserIds(Eq("groups", g5.Id, sub: "value")));
        Assert.Empty(await UserIds(Eq("groups", g2.Id.ToUpperInvariant(), sub: "value")));

        // The same questions answered row by row (a value filter with two terms takes the general path).
        Assert.Equal([alice.Id, bob.Id], await UserIds(new ValuePathNode(Path("groups"), And(Eq("value", g2.Id), Eq("value", g2.Id)))));
        Assert.Equal([alice.Id], await UserIds(new ValuePathNode(Path("groups"), And(Eq("value", g2.Id), Eq("type", "indirect")))));
        Assert.Equal([alice.Id, bob.Id, dave.Id], await UserIds(new ValuePathNode(Path("groups"), Eq("type", "DIRECT"))));
        Assert.Equal([alice.Id, bob.Id], await UserIds(Eq("groups", "g2", sub: "display")));
        Assert.Equal([alice.Id, bob.Id, dave.Id], await UserIds(new PresentNode(Path("groups"))));
        Assert.Equal([carol.Id], await UserIds(Not(new PresentNode(Path("groups")))));
        Assert.Equal([alice.Id, bob.Id, dave.Id], await UserIds(new PresentNode(Path("groups", "display"))));
        Assert.Equal([alice.Id, carol.Id, dave.Id], await UserIds(Compare("groups", ComparisonOperator.Ne, g2.Id, sub: "value")));
        Assert.Equal([bob.Id, carol.Id], await UserIds(Not(new ValuePathNode(Path("groups"), Eq("type", "indirect")))));
    }

    [Fact]
    public async Task Query_compares_dateTime_attributes_inside_the_json_by_instant()
    {
        var schema = SchemaWithExtension();
        var midnight = await CreateUserWithExtensionAsync("midnight", new JsonObject { ["hired"] = "2024-01-01T00:00:00Z", ["level"] = 2 });
        var half = await CreateUserWithExtensionAsync("half", new JsonObject { ["hired"] = "2024-01-01T00:00:00.5Z", ["level"] = 10 });
        var before = await CreateUserWithExtensionAsync("before", new JsonObject { ["hired"] = "2023-12-31T23:59:59.9999999Z", ["level"] = 2.5 });
        var none = await CreateUserAsync("none");
        var users = new[] { midnight, half, before, none };

        string[] filters =
        [
            $"{Extension}:hired gt \"2024-01-01T00:00:00Z\"",
            $"{Extension}:hired ge \"2024-01-01T00:00:00Z\"",
            $"{Extension}:hired lt \"2024-01-01T00:00:00.25Z\"",
            $"{Extension}:hired le \"2023-12-31T23:59:59.9999999Z\"",
            $"{Extension}:hired eq \"2024-01-01T01:00:00+01:00\"",
            $"{Extension}:hired ne \"2024-01-01T00:00:00.500Z\"",
            $"{Extension}:hired pr",
            $"{Extension}:level gt 2",
            $"{Extension}:level le 2.5",
        ];

        foreach (var text in filters)
        {
            var filter = FilterBinder.Bind(FilterParser.Parse(text), schema);
            var expected = users.Where(u => FilterEvaluator.Matches(filter, WithMeta(u), schema)).Select(u => u.Id).ToList();
            var actual = await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, filter, null, 1, 100, schema));
            Assert.True(expected.SequenceEqual(actual.Rows.Select(r => r.Id)), text);
        }

        var hired = new AttributePath(Extension, "hired", null);
        Assert.Equal([before.Id, midnight.Id, half.Id, none.Id], await SortedUserIds(new SortSpec(hired, false), schema));
        Assert.Equal([half.Id, midnight.Id, before.Id, none.Id], await SortedUserIds(new SortSpec(hired, true), schema));
        var level = new AttributePath(Extension, "level", null);
        Assert.Equal([midnight.Id, before.Id, half.Id, none.Id], await SortedUserIds(new SortSpec(level, false), schema));
    }

    [Fact]
    public async Task Query_sorts_multi_valued_attributes_by_their_primary_value()
    {
        var primaryHome = await CreateUserWithJsonAsync("u-primary", new JsonObject
        {
            ["emails"] = new JsonArray(
                new JsonObject { ["type"] = "work", ["value"] = "b@x.org" },
                new JsonObject { ["type"] = "home", ["value"] = "A@x.org", ["primary"] = true }),
        });
        var firstWins = await CreateUserWithJsonAsync("u-first", new JsonObject
        {
            ["emails"] = new JsonArray(
                new JsonObject { ["type"] = "work", ["value"] = "c@x.org", ["primary"] = false },
                new JsonObject { ["type"] = "home", ["value"] = "a@y.org" }),
        });
        var none = await CreateUserAsync("u-none");
        var untyped = await CreateUserWithJsonAsync("u-untyped", new JsonObject
        {
            ["emails"] = new JsonArray(new JsonObject { ["value"] = "B@a.org" }),
        });

        foreach (var schema in new ResourceSchema?[] { null, ScimSchemas.UserResource })
        {
            Assert.Equal([primaryHome.Id, untyped.Id, firstWins.Id, none.Id], await SortedUserIds(new SortSpec(Path("emails", "value"), false), schema));
            Assert.Equal([primaryHome.Id, untyped.Id, firstWins.Id, none.Id], await SortedUserIds(new SortSpec(Path("emails"), false), schema));
            Assert.Equal([firstWins.Id, untyped.Id, primaryHome.Id, none.Id], await SortedUserIds(new SortSpec(Path("emails", "value"), true), schema));
            Assert.Equal([primaryHome.Id, firstWins.Id, none.Id, untyped.Id], await SortedUserIds(new SortSpec(Path("emails", "type"), false), schema));
        }
    }

    [Fact]
    public async Task Keyset_pages_walk_every_order_without_repeats_or_gaps()
    {
        var schema = SchemaWithExtension();
        await CreateUserAsync("alice", displayName: "Same", title: "Engineer", active: true, externalId: "x2", emails: [("work", "z@x.org")], givenName: "Al");
        await CreateUserAsync("BOB", displayName: "same", title: "engineer", active: false, externalId: "x1", department: "Sales");
        await CreateUserAsync("carol", title: "Engineer", emails: [("home", "c@x.org"), ("work", "a@x.org")], givenName: "carol");
        await CreateUserAsync("Dave", displayName: "Ω dave", active: true, department: "r&d");
        await CreateUserAsync("erin", displayName: "Same", active: false, externalId: "X1");
        await CreateUserWithExtensionAsync("frank", new JsonObject { ["hired"] = "2024-01-01T00:00:00.5Z", ["level"] = 3 });
        await CreateUserWithExtensionAsync("gina", new JsonObject { ["hired"] = "2024-01-01T00:00:00Z", ["level"] = 3 });
        await CreateUserWithExtensionAsync("hank", new JsonObject { ["level"] = 1.5 });
        for (var i = 0; i < 4; i++)
        {
            await CreateUserAsync("user" + i, title: i % 2 == 0 ? "Same" : null, active: i % 3 == 0 ? true : null);
        }

        AttributePath?[] sorts =
        [
            null, Path("userName"), Path("displayName"), Path("title"), Path("active"), Path("externalId"), Path("id"),
            Path("emails", "value"), Path("emails", "type"), Path("name", "givenName"), Path("meta", "created"),
            Path("meta", "lastModified"), Path("department", urn: Enterprise),
            new AttributePath(Extension, "hired", null), new AttributePath(Extension, "level", null),
        ];

        var filters = new FilterNode?[] { null, Not(Eq("userName", "carol")) };
        foreach (var sortPath in sorts)
        {
            foreach (var descending in new[] { false, true })
            {
                var sort = sortPath is null ? null : new SortSpec(sortPath, descending);
                foreach (var filter in filters)
                {
                    var full = await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, filter, sort, 1, 100, schema));
                    var expected = full.Rows.Select(r => r.Id).ToList();
                    foreach (var size in new[] { 1, 2, 5 })
                    {
                        var walked = new List<string>();
                        KeysetPosition? after = null;
                        while (true)
                        {
                            var page = await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, filter, sort, 1, size, schema, after));
                            Assert.Equal(expected.Count, page.TotalResults);
                            walked.AddRange(page.Rows.Select(r => r.Id));
                            if (page.Rows.Count < size)
                            {
                                break;
                            }

                            after = KeysetPosition.After(page.Rows[^1], sort, schema);
                        }

                        Assert.True(expected.SequenceEqual(walked), $"sortBy {sortPath} desc={descending} filter={filter} size={size}");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Keyset_position_of_the_wrong_kind_is_an_invalid_cursor()
    {
        await CreateUserAsync("alice", active: true);
        var wrong = new KeysetPosition(JsonValue.Create("yes"), 0, "x");
        var error = await Assert.ThrowsAsync<Protocol.Errors.ScimException>(() =>
            Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, null, new SortSpec(Path("active"), false), 1, 10, null, wrong)));
        Assert.Equal(Protocol.Errors.ScimTypes.InvalidCursor, error.ScimType);

        var keyed = await Assert.ThrowsAsync<Protocol.Errors.ScimException>(() =>
            Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, null, null, 1, 10, null, wrong)));
        Assert.Equal(Protocol.Errors.ScimTypes.InvalidCursor, keyed.ScimType);
    }

    /// <summary>Core User and Enterprise User plus an extension with a dateTime and a decimal attribute.</summary>
    protected static ResourceSchema SchemaWithExtension()
    {
        var extension = new SchemaDefinition(Extension, "Acme", "Acme user extension",
        [
            new AttributeDefinition { Name = "hired", Type = AttributeType.DateTime },
            new AttributeDefinition { Name = "level", Type = AttributeType.Decimal },
        ]);
        var resourceType = ScimSchemas.UserResourceType with
        {
            SchemaExtensions = [.. ScimSchemas.UserResourceType.SchemaExtensions, new SchemaExtensionReference(Extension, false)],
        };
        return new ResourceSchema(resourceType, ScimSchemas.User, [ScimSchemas.EnterpriseUser, extension]);
    }

    private Task<ResourceRow> CreateUserWithExtensionAsync(string userName, JsonObject extension) =>
        CreateUserWithJsonAsync(userName, new JsonObject { [Extension] = extension });

    /// <summary>A user whose JSON gets <paramref name="extra"/> merged in at the top level.</summary>
    private async Task<ResourceRow> CreateUserWithJsonAsync(string userName, JsonObject extra)
    {
        var at = Tick();
        var id = Guid.NewGuid().ToString();
        var json = JsonNode.Parse(UserJson(id, userName))!.AsObject();
        foreach (var (name, value) in extra)
        {
            json[name] = value?.DeepClone();
        }

        var row = UserRow(id, userName, 1, at, at) with { Json = json.ToJsonString() };
        await Store.CommitAsync(Create(row));
        return row with { Created = StoreTime.Truncate(at), LastModified = StoreTime.Truncate(at) };
    }

    private async Task<List<string>> UserIds(FilterNode filter) =>
        (await Query(ResourceKind.User, filter)).Rows.Select(r => r.Id).ToList();

    private async Task<List<string>> SortedUserIds(SortSpec sort, ResourceSchema? schema) =>
        (await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, null, sort, 1, 100, schema))).Rows.Select(r => r.Id).ToList();
}
