using System.Globalization;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Tests.Contract;

/// <summary>
/// A random directory for the differential tests: users whose attributes are present or missing at random, in case
/// variants (ASCII and not), with several emails and at most one primary, enterprise and custom-extension attributes
/// (decimal, dateTime, case-exact string), and groups nested one level. Values are in the writer's normal form (dateTimes
/// in UTC, no empty strings), as the grains would store them. Deterministic for a seed.
/// </summary>
public sealed class GeneratedDirectory
{
    public const string Extension = "urn:example:params:scim:schemas:extension:acme:2.0:User";
    private const string EnterpriseUrn = ScimUris.EnterpriseUser;

    private static readonly string[] Words =
    [
        "alice", "Alice", "ALICE", "bob", "Bobby", "carol", "Émile", "émile", "ÉMILE", "Ωmega", "ωmega", "straße", "zoë", "Zed",
        "d'Arcy", "o_neil", "x-ray", "Mc100", "alpha beta", "ALPHA",
    ];

    private static readonly string[] EmailTypes = ["work", "home", "other", "Work"];
    private static readonly string[] Titles = ["Engineer", "engineer", "Senior Engineer", "Manager", "CTO", "intern"];
    private static readonly string[] Departments = ["R&D", "r&d", "Sales", "sales ops", "Über"];

    private GeneratedDirectory(Random random)
    {
        Random = random;
    }

    public Random Random { get; }

    /// <summary>Users as stored (attributes only) with their membership-derived <c>groups</c>, in creation order.</summary>
    public List<(string Id, JsonObject Json)> Users { get; } = [];

    /// <summary>Groups as stored, with their direct members (<c>value</c>, <c>type</c>), in creation order.</summary>
    public List<(string Id, string DisplayName, List<(string Id, bool IsGroup)> Members)> Groups { get; } = [];

    /// <summary>Core User, Enterprise User and the extension with <c>level</c>, <c>hired</c> and <c>badge</c>.</summary>
    public static ResourceSchema UserSchema { get; } = BuildUserSchema();

    public static GeneratedDirectory Create(int seed, int users, int groups)
    {
        var directory = new GeneratedDirectory(new Random(seed));
        for (var i = 0; i < users; i++)
        {
            directory.Users.Add(directory.NewUser(i));
        }

        for (var i = 0; i < groups; i++)
        {
            var members = directory.Users.Where(_ => directory.Random.Next(4) == 0).Select(u => (u.Id, false)).ToList();
            // Nesting: a later group may contain an earlier one, so membership has indirect paths.
            if (i > 0 && directory.Random.Next(2) == 0)
            {
                members.Add((directory.Groups[directory.Random.Next(i)].Id, true));
            }

            directory.Groups.Add(($"g{i:00}-{Guid.NewGuid():N}"[..12], $"{directory.Pick(Words)} group {i}", members));
        }

        return directory;
    }

    /// <summary>Each user's groups as RFC 7643 shows them: every ancestor once, <c>direct</c> if any edge to it is direct.</summary>
    public Dictionary<string, List<(string GroupId, string Display, bool Direct)>> GroupsOfUsers()
    {
        var result = Users.ToDictionary(u => u.Id, _ => new List<(string, string, bool)>());
        foreach (var (userId, _) in Users)
        {
            var direct = Groups.Where(g => g.Members.Contains((userId, false))).Select(g => g.Id).ToHashSet();
            var all = new HashSet<string>(direct);
            var frontier = new Queue<string>(direct);
            while (frontier.TryDequeue(out var current))
            {
                foreach (var parent in Groups.Where(g => g.Members.Contains((current, true))))
                {
                    if (all.Add(parent.Id))
                    {
                        frontier.Enqueue(parent.Id);
                    }
                }
            }

            foreach (var group in Groups.Where(g => all.Contains(g.Id)))
            {
                result[userId].Add((group.Id, group.DisplayName, direct.Contains(group.Id)));
            }
        }

        return result;
    }

    public T Pick<T>(IReadOnlyList<T> values) => values[Random.Next(values.Count)];

    public bool Chance(int percent) => Random.Next(100) < percent;

    private (string Id, JsonObject Json) NewUser(int index)
    {
        var id = $"u{index:000}-{Guid.NewGuid():N}"[..14];
        var json = new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.User),
            ["id"] = id,
            // Unique case-insensitively, but with case variants of shared words.
            ["userName"] = $"{Pick(Words)}.{index}@{Pick(["Example.com", "example.COM", "corp.example"])}",
        };
        if (Chance(60))
        {
            json["displayName"] = Pick(Words) + (Chance(50) ? " " + Pick(Words) : "");
        }

        if (Chance(50))
        {
            json["externalId"] = Pick(["ext-1", "EXT-1", "ext-2", "Ext-3"]) + (Chance(30) ? "" : index.ToString(CultureInfo.InvariantCulture));
        }

        if (Chance(50))
        {
            json["title"] = Pick(Titles);
        }

        if (Chance(70))
        {
            json["active"] = Chance(60);
        }

        if (Chance(60))
        {
            var name = new JsonObject();
            if (Chance(80))
            {
                name["givenName"] = Pick(Words);
            }

            if (Chance(60))
            {
                name["familyName"] = Pick(Words);
            }

            if (name.Count > 0)
            {
                json["name"] = name;
            }
        }

        var emailCount = Random.Next(4);
        if (emailCount > 0)
        {
            var emails = new JsonArray();
            var primary = Chance(60) ? Random.Next(emailCount) : -1;
            for (var e = 0; e < emailCount; e++)
            {
                var email = new JsonObject { ["value"] = $"{Pick(Words)}{e}@{Pick(["example.com", "EXAMPLE.org", "mail.example"])}" };
                if (Chance(80))
                {
                    email["type"] = Pick(EmailTypes);
                }

                if (e == primary)
                {
                    email["primary"] = true;
                }
                else if (Chance(20))
                {
                    email["primary"] = false;
                }

                emails.Add(email);
            }

            json["emails"] = emails;
        }

        if (Chance(50))
        {
            var enterprise = new JsonObject();
            if (Chance(80))
            {
                enterprise["department"] = Pick(Departments);
            }

            if (Chance(50))
            {
                enterprise["employeeNumber"] = Random.Next(1, 40).ToString(CultureInfo.InvariantCulture);
            }

            if (enterprise.Count > 0)
            {
                json[EnterpriseUrn] = enterprise;
                json["schemas"]!.AsArray().Add(EnterpriseUrn);
            }
        }

        if (Chance(60))
        {
            var extension = new JsonObject();
            if (Chance(70))
            {
                extension["level"] = Chance(50) ? JsonValue.Create(Random.Next(0, 10)) : JsonValue.Create(Random.Next(0, 100) / 4m);
            }

            if (Chance(70))
            {
                var instant = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)
                    .AddSeconds(Random.Next(0, 4) * 3600)
                    .AddTicks(Pick(new long[] { 0, 0, 5_000_000, 1, 9_999_999 }));
                extension["hired"] = instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
            }

            if (Chance(60))
            {
                extension["badge"] = Pick(["B-1", "b-1", "B-2", "c-9"]);
            }

            if (extension.Count > 0)
            {
                json[Extension] = extension;
                json["schemas"]!.AsArray().Add(Extension);
            }
        }

        return (id, json);
    }

    private static ResourceSchema BuildUserSchema()
    {
        var extension = new SchemaDefinition(Extension, "Acme", "Acme user extension",
        [
            new AttributeDefinition { Name = "level", Type = AttributeType.Decimal },
            new AttributeDefinition { Name = "hired", Type = AttributeType.DateTime },
            new AttributeDefinition { Name = "badge", CaseExact = true },
        ]);
        return ScimSchemas.UserResource.WithExtensions([(extension, false)]);
    }
}
