using System.Globalization;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// Random filter trees over every attribute and operator the store supports, in RFC 7644 text: comparisons with
/// literals drawn from the data (in case variants, fragments, neighbouring numbers and instants) and from outside it,
/// <c>pr</c>, <c>eq null</c>/<c>ne null</c>, <c>and</c>/<c>or</c>/<c>not</c>, and value filters.
/// </summary>
public sealed class FilterGenerator
{
    private static readonly string[] TextOperators = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];
    private static readonly string[] OrderedOperators = ["eq", "ne", "gt", "ge", "lt", "le"];

    private readonly GeneratedDirectory directory;
    private readonly List<Leaf> leaves;
    private readonly List<(string Path, List<Leaf> Subs)> valuePaths;

    private FilterGenerator(GeneratedDirectory directory, List<Leaf> leaves, List<(string, List<Leaf>)> valuePaths)
    {
        this.directory = directory;
        this.leaves = leaves;
        this.valuePaths = valuePaths;
    }

    private enum Kind
    {
        Text,
        Boolean,
        Number,
        Time,
    }

    /// <summary>Filters over users; literals come from <paramref name="users"/> (with groups and meta filled in).</summary>
    public static FilterGenerator ForUsers(GeneratedDirectory directory, IReadOnlyList<JsonObject> users)
    {
        string[] Values(Func<JsonObject, IEnumerable<JsonNode?>> select) =>
            [.. users.SelectMany(select).OfType<JsonValue>().Select(Literal)];

        IEnumerable<JsonNode?> Elements(JsonObject user, string attribute, string sub) =>
            (user[attribute] as JsonArray ?? []).OfType<JsonObject>().Select(e => e[sub]);

        var ext = GeneratedDirectory.Extension;
        var enterprise = ScimUris.EnterpriseUser;
        var emailSubs = new List<Leaf>
        {
            new("value", Kind.Text, Values(u => Elements(u, "emails", "value"))),
            new("type", Kind.Text, ["work", "home", "WORK", "other", "fax"]),
            new("primary", Kind.Boolean, []),
        };
        var groupSubs = new List<Leaf>
        {
            new("value", Kind.Text, Values(u => Elements(u, "groups", "value"))),
            new("type", Kind.Text, ["direct", "INDIRECT"]),
            new("display", Kind.Text, Values(u => Elements(u, "groups", "display"))),
        };
        var leaves = new List<Leaf>
        {
            new("userName", Kind.Text, Values(u => [u["userName"]])),
            new("displayName", Kind.Text, Values(u => [u["displayName"]])),
            new("title", Kind.Text, Values(u => [u["title"]])),
            new("externalId", Kind.Text, Values(u => [u["externalId"]])),
            new("id", Kind.Text, Values(u => [u["id"]]), Operators: ["eq", "ne", "sw", "gt", "le"]),
            new("active", Kind.Boolean, []),
            new("name.givenName", Kind.Text, Values(u => [u["name"]?["givenName"]])),
            new("name.familyName", Kind.Text, Values(u => [u["name"]?["familyName"]])),
            new("emails", Kind.Text, Values(u => Elements(u, "emails", "value"))),
            new("emails.value", Kind.Text, Values(u => Elements(u, "emails", "value"))),
            new("emails.type", Kind.Text, ["work", "Home", "other"]),
            new("emails.primary", Kind.Boolean, []),
            new($"{enterprise}:department", Kind.Text, Values(u => [u[enterprise]?["department"]])),
            new($"{enterprise}:employeeNumber", Kind.Text, Values(u => [u[enterprise]?["employeeNumber"]])),
            new($"{ext}:level", Kind.Number, Values(u => [u[ext]?["level"]])),
            new($"{ext}:hired", Kind.Time, Values(u => [u[ext]?["hired"]])),
            new($"{ext}:badge", Kind.Text, Values(u => [u[ext]?["badge"]])),
            new("meta.created", Kind.Time, Values(u => [u["meta"]!["created"]])),
            new("meta.lastModified", Kind.Time, Values(u => [u["meta"]!["lastModified"]])),
            new("groups.value", Kind.Text, groupSubs[0].Pool, Operators: ["eq", "ne", "sw"]),
            new("groups.type", Kind.Text, groupSubs[1].Pool, Operators: ["eq", "ne"]),
            new("groups.display", Kind.Text, groupSubs[2].Pool),
            new("schemas", Kind.Text, [ScimUris.User, enterprise, ext], Operators: ["eq", "ne"]),
        };

        return new FilterGenerator(directory, leaves, [("emails", emailSubs), ("groups", groupSubs)]);
    }

    /// <summary>Filters over groups, with members as edges.</summary>
    public static FilterGenerator ForGroups(GeneratedDirectory directory, IReadOnlyList<JsonObject> groups)
    {
        string[] Values(Func<JsonObject, IEnumerable<JsonNode?>> select) =>
            [.. groups.SelectMany(select).OfType<JsonValue>().Select(Literal)];

        var members = Values(g => (g["members"] as JsonArray ?? []).OfType<JsonObject>().Select(m => m["value"]));
        var memberSubs = new List<Leaf>
        {
            new("value", Kind.Text, members, Operators: ["eq", "ne"]),
            new("type", Kind.Text, ["User", "group"], Operators: ["eq", "ne"]),
        };
        var leaves = new List<Leaf>
        {
            new("displayName", Kind.Text, Values(g => [g["displayName"]])),
            new("id", Kind.Text, Values(g => [g["id"]]), Operators: ["eq", "ne"]),
            new("members.value", Kind.Text, members, Operators: ["eq", "ne"]),
            new("members.type", Kind.Text, ["User", "Group"], Operators: ["eq", "ne"]),
            new("meta.created", Kind.Time, Values(g => [g["meta"]!["created"]])),
        };
        return new FilterGenerator(directory, leaves, [("members", memberSubs)]);
    }

    public string Next(int depth = 3)
    {
        var roll = directory.Random.Next(100);
        if (depth == 0 || roll < 45)
        {
            return Comparison(directory.Pick(leaves));
        }

        if (roll < 60)
        {
            return $"({Next(depth - 1)} and {Next(depth - 1)})";
        }

        if (roll < 75)
        {
            return $"({Next(depth - 1)} or {Next(depth - 1)})";
        }

        if (roll < 87)
        {
            return $"not ({Next(depth - 1)})";
        }

        var (path, subs) = directory.Pick(valuePaths);
        return $"{path}[{Inner(subs, 2)}]";
    }

    private string Inner(List<Leaf> subs, int depth)
    {
        var roll = directory.Random.Next(100);
        return depth == 0 || roll < 55
            ? Comparison(directory.Pick(subs))
            : roll < 75 ? $"({Inner(subs, depth - 1)} and {Inner(subs, depth - 1)})"
            : roll < 90 ? $"({Inner(subs, depth - 1)} or {Inner(subs, depth - 1)})"
            : $"not ({Inner(subs, depth - 1)})";
    }

    private string Comparison(Leaf leaf)
    {
        var roll = directory.Random.Next(100);
        if (roll < 10)
        {
            return $"{leaf.Path} pr";
        }

        if (roll < 14)
        {
            return $"{leaf.Path} {directory.Pick(new[] { "eq", "ne" })} null";
        }

        switch (leaf.Kind)
        {
            case Kind.Boolean:
                return $"{leaf.Path} {directory.Pick(new[] { "eq", "ne" })} {(directory.Chance(50) ? "true" : "false")}";
            case Kind.Number:
                var number = leaf.Pool.Length > 0 && directory.Chance(70)
                    ? decimal.Parse(directory.Pick(leaf.Pool), CultureInfo.InvariantCulture) + directory.Pick(new[] { 0m, 0m, 0.25m, -1m })
                    : directory.Random.Next(-2, 30);
                return $"{leaf.Path} {directory.Pick(OrderedOperators)} {number.ToString(CultureInfo.InvariantCulture)}";
            case Kind.Time:
                return $"{leaf.Path} {directory.Pick(OrderedOperators)} \"{Instant(leaf)}\"";
            default:
                var op = directory.Pick(leaf.Operators ?? TextOperators);
                return $"{leaf.Path} {op} {JsonValue.Create(Text(leaf, op)).ToJsonString()}";
        }
    }

    private string Instant(Leaf leaf)
    {
        var instant = leaf.Pool.Length > 0 && directory.Chance(80)
            ? DateTimeOffset.Parse(directory.Pick(leaf.Pool), CultureInfo.InvariantCulture)
            : new DateTimeOffset(2024, 1, 1, 1, 0, 0, TimeSpan.Zero);
        instant = instant.AddTicks(directory.Pick(new long[] { 0, 0, 1, -1, 5, 10_000_000 }));
        // The same instant in another offset now and then; the binder normalises it.
        return directory.Chance(25)
            ? instant.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)
            : instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }

    private string Text(Leaf leaf, string op)
    {
        if (leaf.Pool.Length == 0 || directory.Chance(10))
        {
            return directory.Pick(new[] { "zzz", "A", "é", "%", "_", "@example", "nobody" });
        }

        var value = directory.Pick(leaf.Pool);
        if (op is "co" or "sw" or "ew" && value.Length > 2)
        {
            var start = op == "sw" ? 0 : directory.Random.Next(value.Length - 1);
            var length = op == "ew" ? value.Length - start : directory.Random.Next(1, value.Length - start + 1);
            value = value.Substring(start, length);
        }

        return directory.Random.Next(3) switch
        {
            0 => value.ToUpperInvariant(),
            1 => value.ToLowerInvariant(),
            _ => value,
        };
    }

    private static string Literal(JsonValue value) =>
        value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    private sealed record Leaf(string Path, Kind Kind, string[] Pool, string[]? Operators = null);
}
