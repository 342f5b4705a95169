using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// What a sortBy path sorts on, resolved once and shared by the SQL translation (<see cref="QuerySqlTranslator"/>) and
/// the in-memory key reader (<see cref="SortKeyReader"/>) so that a keyset cursor's key is exactly the value SQL compares.
/// </summary>
internal sealed record SortTarget(
    SortSource Source,
    string? Column,
    IReadOnlyList<string> Path,
    string? SubAttribute,
    AttributeType Type,
    bool CaseExact,
    bool PreLowered = false,
    bool IsTime = false)
{
    /// <summary>Whether the store compares lower-cased text (case-insensitive text not already stored lower-cased).</summary>
    public bool FoldsCase => !CaseExact && !PreLowered && Type is AttributeType.String or AttributeType.Reference or AttributeType.Binary;

    /// <summary>Whether the key is the digits-only form of a dateTime kept as text in the JSON (see <see cref="TimeKeys"/>).</summary>
    public bool IsJsonTime => Type == AttributeType.DateTime && !IsTime;

    public static SortTarget Resolve(ResourceKind kind, ResourceSchema? schema, AttributePath path)
    {
        IFilterAttributeCatalog catalog = schema is null ? new BuiltInAttributeCatalog(kind) : new SchemaAttributeCatalog(schema);
        return Resolve(kind, catalog, path);
    }

    public static SortTarget Resolve(ResourceKind kind, IFilterAttributeCatalog catalog, AttributePath path)
    {
        path = Normalize(kind, path);
        if (ColumnTarget(kind, path) is { } column)
        {
            return column;
        }

        if (path.SchemaUrn is null && (Is(path.Attribute, "meta") || Is(path.Attribute, "password")
            || (kind == ResourceKind.User && Is(path.Attribute, "groups"))
            || (kind == ResourceKind.Group && Is(path.Attribute, "members"))))
        {
            throw Unsupported(path);
        }

        var shape = catalog.Describe(path.SchemaUrn, path.Attribute, null) ?? throw Unsupported(path);
        var segments = shape.ExtensionUrn is null ? new[] { shape.Name } : [shape.ExtensionUrn, shape.Name];
        if (!shape.MultiValued)
        {
            if (shape.Type != AttributeType.Complex)
            {
                return path.SubAttribute is null
                    ? new SortTarget(SortSource.JsonScalar, null, segments, null, shape.Type, shape.CaseExact)
                    : throw Unsupported(path);
            }

            var sub = path.SubAttribute is null ? null : catalog.DescribeSub(shape, path.SubAttribute, null);
            return sub is null || sub.Type == AttributeType.Complex || sub.MultiValued
                ? throw Unsupported(path)
                : new SortTarget(SortSource.JsonScalar, null, [.. segments, sub.Name], null, sub.Type, sub.CaseExact);
        }

        if (shape.Type != AttributeType.Complex)
        {
            return path.SubAttribute is null
                ? new SortTarget(SortSource.PrimaryElement, null, segments, null, shape.Type, shape.CaseExact)
                : throw Unsupported(path);
        }

        // sortBy=emails means the primary email's value (RFC 7644 §3.4.2.3).
        var element = catalog.DescribeSub(shape, path.SubAttribute ?? "value", null);
        return element is null || element.Type == AttributeType.Complex || element.MultiValued
            ? throw Unsupported(path)
            : new SortTarget(SortSource.PrimaryElement, null, segments, element.Name, element.Type, element.CaseExact);
    }

    private static SortTarget? ColumnTarget(ResourceKind kind, AttributePath path)
    {
        if (path.SchemaUrn is not null)
        {
            return null;
        }

        if (Is(path.Attribute, "meta"))
        {
            return path.SubAttribute switch
            {
                { } sub when Is(sub, "created") => new SortTarget(SortSource.Column, "created", [], null, AttributeType.DateTime, true, IsTime: true),
                { } sub when Is(sub, "lastModified") => new SortTarget(SortSource.Column, "last_modified", [], null, AttributeType.DateTime, true, IsTime: true),
                _ => null,
            };
        }

        if (path.SubAttribute is not null)
        {
            return null;
        }

        return path.Attribute switch
        {
            var a when Is(a, "id") => new SortTarget(SortSource.Column, "id", [], null, AttributeType.String, CaseExact: true),
            var a when Is(a, "externalId") => new SortTarget(SortSource.Column, "external_id", [], null, AttributeType.String, CaseExact: true),
            var a when Is(a, "displayName") => new SortTarget(SortSource.Column, "display_name_key", [], null, AttributeType.String, false, PreLowered: true),
            var a when kind == ResourceKind.User && Is(a, "userName") =>
                new SortTarget(SortSource.Column, "user_name_key", [], null, AttributeType.String, false, PreLowered: true),
            var a when kind == ResourceKind.User && Is(a, "active") => new SortTarget(SortSource.Column, "active", [], null, AttributeType.Boolean, false),
            _ => null,
        };
    }

    private static AttributePath Normalize(ResourceKind kind, AttributePath path)
    {
        var core = kind == ResourceKind.User ? ScimUris.User : ScimUris.Group;
        return path.SchemaUrn is not null && string.Equals(path.SchemaUrn, core, StringComparison.OrdinalIgnoreCase)
            ? path with { SchemaUrn = null }
            : path;
    }

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);

    private static ScimException Unsupported(AttributePath path) =>
        ScimException.InvalidValue($"sortBy '{path}' is not supported: sort by a singular attribute or by a multi-valued one's primary value.");
}
