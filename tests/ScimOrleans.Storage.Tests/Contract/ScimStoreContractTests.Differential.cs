using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Contract, part four: a differential conformance table over GENERATED data and GENERATED filters. The same queries
/// go to the store (SQL) and to the in-memory reference (<see cref="FilterEvaluator"/>, and a reference sort written
/// from RFC 7644 §3.4.2.3) over the same resources; both must return identical ids in identical order. The seed is
/// fixed (set <c>SCIM_DIFFERENTIAL_SEED</c> to explore others); a failure names the filter or sort that disagreed.
/// </summary>
public abstract partial class ScimStoreContractTests
{
    private const int DefaultSeed = 20_260_107;

    [Fact]
    public async Task Generated_filters_return_what_the_reference_evaluator_returns()
    {
        var (directory, users, groups) = await SeedGeneratedAsync();
        var schema = GeneratedDirectory.UserSchema;
        var userFilters = FilterGenerator.ForUsers(directory, users.Select(u => u.Json).ToList());
        var groupFilters = FilterGenerator.ForGroups(directory, groups.Select(g => g.Json).ToList());
        var nonEmpty = 0;

        for (var i = 0; i < 300; i++)
        {
            var text = userFilters.Next();
            var filter = FilterBinder.Bind(FilterParser.Parse(text), schema);
            var expected = users.Where(u => FilterEvaluator.Matches(filter, u.Json, schema)).Select(u => u.Id).ToList();
            var actual = await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, filter, null, 1, 1000, schema));
            Assert.True(expected.SequenceEqual(actual.Rows.Select(r => r.Id)), $"Users, filter #{i}: {text}\nexpected {string.Join(",", expected)}\nactual   {string.Join(",", actual.Rows.Select(r => r.Id))}");
            Assert.Equal(expected.Count, actual.TotalResults);
            nonEmpty += expected.Count is > 0 ? 1 : 0;
        }

        for (var i = 0; i < 80; i++)
        {
            var text = groupFilters.Next();
            var filter = FilterBinder.Bind(FilterParser.Parse(text), ScimSchemas.GroupResource);
            var expected = groups.Where(g => FilterEvaluator.Matches(filter, g.Json, ScimSchemas.GroupResource)).Select(g => g.Id).ToList();
            var actual = await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.Group, filter, null, 1, 1000, ScimSchemas.GroupResource));
            Assert.True(expected.SequenceEqual(actual.Rows.Select(r => r.Id)), $"Groups, filter #{i}: {text}\nexpected {string.Join(",", expected)}\nactual   {string.Join(",", actual.Rows.Select(r => r.Id))}");
        }

        // The generator must produce selective filters, not only ones that match nothing.
        Assert.True(nonEmpty > 100, $"only {nonEmpty} of 300 generated filters matched anything");
    }

    [Fact]
    public async Task Generated_sorts_agree_with_the_reference_order_and_keyset_walks_repeat_nothing()
    {
        var (directory, users, _) = await SeedGeneratedAsync();
        var schema = GeneratedDirectory.UserSchema;
        var filters = FilterGenerator.ForUsers(directory, users.Select(u => u.Json).ToList());
        var ext = GeneratedDirectory.Extension;
        string[] paths =
        [
            "userName", "displayName", "title", "externalId", "id", "active", "name.givenName", "name.familyName",
            "emails", "emails.value", "emails.type", "emails.primary", "schemas", "meta.created", "meta.lastModified",
            $"{ScimUris.EnterpriseUser}:department", $"{ScimUris.EnterpriseUser}:employeeNumber",
            $"{ext}:level", $"{ext}:hired", $"{ext}:badge",
        ];

        foreach (var text in paths)
        {
            foreach (var descending in new[] { false, true })
            {
                var path = AttributePath.Parse(text);
                var resolved = schema.Resolve(path)!;
                var sort = new SortSpec(new AttributePath(resolved.IsCore ? null : resolved.Schema.Id, resolved.Attribute.Name, resolved.SubAttribute?.Name), descending);
                var filterText = directory.Chance(50) ? null : filters.Next(2);
                var filter = filterText is null ? null : FilterBinder.Bind(FilterParser.Parse(filterText), schema);
                var matching = users.Where(u => filter is null || FilterEvaluator.Matches(filter, u.Json, schema)).ToList();
                var expected = ReferenceSort(matching, resolved, descending).Select(u => u.Id).ToList();

                var actual = await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, filter, sort, 1, 1000, schema));
                var label = $"sortBy={text} descending={descending} filter={filterText}";
                Assert.True(expected.SequenceEqual(actual.Rows.Select(r => r.Id)), $"{label}\nexpected {string.Join(",", expected)}\nactual   {string.Join(",", actual.Rows.Select(r => r.Id))}");

                // Index pages and keyset pages of a random size both reproduce the full order.
                var size = directory.Random.Next(1, 8);
                var byIndex = new List<string>();
                for (var start = 1; start <= expected.Count; start += size)
                {
                    byIndex.AddRange((await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, filter, sort, start, size, schema))).Rows.Select(r => r.Id));
                }

                var byKeyset = new List<string>();
                KeysetPosition? after = null;
                while (true)
                {
                    var page = await Store.QueryAsync(new ResourceQuery(Tenant, ResourceKind.User, filter, sort, 1, size, schema, after));
                    byKeyset.AddRange(page.Rows.Select(r => r.Id));
                    if (page.Rows.Count < size)
                    {
                        break;
                    }

                    after = KeysetPosition.After(page.Rows[^1], sort, schema);
                }

                Assert.True(expected.SequenceEqual(byIndex), $"index pages of {size}, {label}");
                Assert.True(expected.SequenceEqual(byKeyset), $"keyset pages of {size}, {label}");
            }
        }
    }

    /// <summary>
    /// RFC 7644 §3.4.2.3 as the docs state it: by the attribute's value (a multi-valued attribute's primary value, else
    /// its first), text case-insensitively unless caseExact and compared by code point, missing values last in either
    /// direction, ties by creation time then id.
    /// </summary>
    private static IEnumerable<(string Id, JsonObject Json, ResourceRow Row)> ReferenceSort(
        List<(string Id, JsonObject Json, ResourceRow Row)> users, ResolvedAttribute resolved, bool descending)
    {
        var keyed = users.Select(u => (User: u, Key: ReferenceKey(u.Json, resolved))).ToList();
        keyed.Sort((a, b) =>
        {
            if ((a.Key is null) != (b.Key is null))
            {
                return a.Key is null ? 1 : -1;
            }

            var byKey = a.Key is null ? 0 : CompareKeys(a.Key, b.Key!);
            if (byKey != 0)
            {
                return descending ? -byKey : byKey;
            }

            var byCreated = a.User.Row.Created.CompareTo(b.User.Row.Created);
            return byCreated != 0 ? byCreated : string.CompareOrdinal(a.User.Id, b.User.Id);
        });
        return keyed.Select(k => k.User);
    }

    private static object? ReferenceKey(JsonObject user, ResolvedAttribute resolved)
    {
        JsonObject? container = resolved.IsCore ? user : user[resolved.Schema.Id] as JsonObject;
        var value = container?[resolved.Attribute.Name];
        var target = resolved.Target;
        if (resolved.Attribute.MultiValued)
        {
            var elements = value as JsonArray ?? [];
            if (resolved.Attribute.Type == AttributeType.Complex)
            {
                var objects = elements.OfType<JsonObject>().ToList();
                var chosen = objects.FirstOrDefault(o => o["primary"] is JsonValue p && p.GetValueKind() == JsonValueKind.True) ?? objects.FirstOrDefault();
                target = resolved.SubAttribute ?? resolved.Attribute.FindSubAttribute("value")!;
                value = chosen?[target.Name];
            }
            else
            {
                value = elements.Count > 0 ? elements[0] : null;
            }
        }
        else if (resolved.SubAttribute is not null)
        {
            value = (value as JsonObject)?[resolved.SubAttribute.Name];
        }

        if (value is not JsonValue scalar || scalar.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }

        return target.Type switch
        {
            AttributeType.Boolean => scalar.GetValue<bool>(),
            AttributeType.Integer or AttributeType.Decimal => decimal.Parse(scalar.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            AttributeType.DateTime => DateTimeOffset.Parse(scalar.GetValue<string>(), CultureInfo.InvariantCulture),
            _ => target.CaseExact ? scalar.GetValue<string>() : scalar.GetValue<string>().ToLowerInvariant(),
        };
    }

    private static int CompareKeys(object a, object b) => (a, b) switch
    {
        (string x, string y) => Math.Sign(string.CompareOrdinal(x, y)),
        (bool x, bool y) => x.CompareTo(y),
        (decimal x, decimal y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.UtcTicks.CompareTo(y.UtcTicks),
        _ => throw new InvalidOperationException($"Keys of different kinds: {a} and {b}."),
    };

    /// <summary>Stores a generated directory; returns users and groups as the reference sees them (meta, groups, members).</summary>
    private async Task<(GeneratedDirectory Directory, List<(string Id, JsonObject Json, ResourceRow Row)> Users, List<(string Id, JsonObject Json)> Groups)> SeedGeneratedAsync()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SCIM_DIFFERENTIAL_SEED"), CultureInfo.InvariantCulture, out var chosen) ? chosen : DefaultSeed;
        var directory = GeneratedDirectory.Create(seed, users: 60, groups: 8);
        var users = new List<(string, JsonObject, ResourceRow)>();
        foreach (var (id, json) in directory.Users)
        {
            var at = Tick();
            var work = (json["emails"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(e => string.Equals(e["type"]?.GetValue<string>(), "work", StringComparison.OrdinalIgnoreCase))?["value"]?.GetValue<string>();
            var row = new ResourceRow(Tenant, ResourceKind.User, id, 1, json.ToJsonString(), at, at, new IndexedAttributes(
                json["userName"]!.GetValue<string>(),
                json["externalId"]?.GetValue<string>(),
                json["displayName"]?.GetValue<string>(),
                json["active"]?.GetValue<bool>(),
                work));
            await Store.CommitAsync(Create(row));
            users.Add((id, json, row with { Created = StoreTime.Truncate(at), LastModified = StoreTime.Truncate(at) }));
        }

        var groups = new List<(string, JsonObject)>();
        foreach (var (id, displayName, members) in directory.Groups)
        {
            var at = Tick();
            var row = GroupRow(id, displayName, 1, at, at);
            await Store.CommitAsync(Create(row, new MembershipEdit(false, [.. members.Select(m => m.Id)], [])));
            var json = JsonNode.Parse(row.Json)!.AsObject();
            json["meta"] = Meta("Group", StoreTime.Truncate(at));
            if (members.Count > 0)
            {
                json["members"] = new JsonArray([.. members.Select(m => (JsonNode)new JsonObject { ["value"] = m.Id, ["type"] = m.IsGroup ? "Group" : "User" })]);
            }

            groups.Add((id, json));
        }

        // What the reference evaluates: the stored attributes plus meta and the derived groups, as a response shows them.
        var groupsOfUsers = directory.GroupsOfUsers();
        var seen = new List<(string Id, JsonObject Json, ResourceRow Row)>();
        foreach (var (id, json, row) in users)
        {
            var shown = json.DeepClone().AsObject();
            shown["meta"] = Meta("User", row.Created);
            if (groupsOfUsers[id].Count > 0)
            {
                shown["groups"] = new JsonArray([.. groupsOfUsers[id].Select(g => (JsonNode)new JsonObject
                {
                    ["value"] = g.GroupId,
                    ["display"] = g.Display,
                    ["type"] = g.Direct ? "direct" : "indirect",
                })]);
            }

            seen.Add((id, shown, row));
        }

        return (directory, seen, groups);
    }

    private static JsonObject Meta(string resourceType, DateTimeOffset at) => new()
    {
        ["resourceType"] = resourceType,
        ["created"] = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["lastModified"] = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
    };
}
