using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// Translates a bound SCIM filter and sortBy into a predicate and an ORDER BY over the resource row
/// (<see cref="ResourceColumns.Alias"/>). Literals and JSON paths become parameters; the SQL text holds only fixed
/// column names and keywords. Indexed attributes use their columns; everything else reads the JSON.
/// </summary>
/// <remarks>
/// SCIM filters are two-valued: an absent attribute simply does not match, and <c>not</c> of that matches. Every leaf
/// predicate generated here is therefore never NULL (each comparison is guarded by <c>x IS NOT NULL AND …</c>), so
/// SQL's three-valued logic cannot make <c>not (...)</c> drop rows. Semantics follow <see cref="FilterEvaluator"/>:
/// an empty string is absent, <c>ne</c> matches resources without the attribute, and a multi-valued attribute matches
/// when any of its values does (so <c>ne</c> there means "some value differs, or there is none").
/// Anything that cannot be translated exactly throws 400 invalidFilter rather than returning approximate results.
/// </remarks>
internal sealed partial class QuerySqlTranslator
{
    private const string Row = ResourceColumns.Alias;
    private const string Json = Row + ".json";

    private readonly ISqlDialect _dialect;
    private readonly SqlParameterBag _parameters;
    private readonly IFilterAttributeCatalog _catalog;
    private readonly ResourceKind _kind;
    private readonly string? _tenantId;
    private int _aliasCount;

    /// <param name="tenantId">
    /// The query's tenant, when the caller passes it: lets membership filters (<c>groups.value eq "g"</c>) read the
    /// group's members once instead of probing every row. Without it they are answered row by row, with the same result.
    /// </param>
    public QuerySqlTranslator(ISqlDialect dialect, SqlParameterBag parameters, ResourceKind kind, ResourceSchema? schema, string? tenantId = null)
    {
        _dialect = dialect;
        _parameters = parameters;
        _kind = kind;
        _tenantId = tenantId;
        _catalog = schema is null ? new BuiltInAttributeCatalog(kind) : new SchemaAttributeCatalog(schema);
    }

    /// <summary>A never-NULL predicate equivalent to <paramref name="filter"/>.</summary>
    public string Filter(FilterNode filter) => Node(filter, scope: null);

    /// <summary>
    /// ORDER BY terms (without the keywords) for <paramref name="sort"/>, always ending with the (created, id) tie-break
    /// so paging is stable. Missing values sort last in either direction.
    /// </summary>
    public string OrderBy(SortSpec? sort)
    {
        const string tieBreak = Row + ".created, " + Row + ".id";
        if (sort is null)
        {
            return tieBreak;
        }

        var key = SortKey(sort.Path);
        var direction = sort.Descending ? "DESC" : "ASC";
        return $"(CASE WHEN {key} IS NULL THEN 1 ELSE 0 END), {key} {direction}, {tieBreak}";
    }

    private string Node(FilterNode node, Scope? scope) => node switch
    {
        AndNode and => $"({Node(and.Left, scope)} AND {Node(and.Right, scope)})",
        OrNode or => $"({Node(or.Left, scope)} OR {Node(or.Right, scope)})",
        NotNode not => $"(NOT {Node(not.Inner, scope)})",
        ComparisonNode comparison => scope is null ? Comparison(comparison) : scope.Compare(comparison),
        PresentNode present => scope is null ? Present(Normalize(present.Path)) : scope.Present(present.Path),
        ValuePathNode valuePath when scope is null => ValuePath(valuePath),
        ValuePathNode valuePath => throw Unsupported($"a value filter inside the value filter of '{valuePath.Path}'"),
        _ => throw Unsupported($"the filter node {node.GetType().Name}"),
    };

    private string Comparison(ComparisonNode node)
    {
        var path = Normalize(node.Path);
        if (Column(path) is { } column)
        {
            return Compare(column, node.Operator, node.Value);
        }

        if (IsEdgeAttribute(path))
        {
            if (path.SubAttribute is null)
            {
                throw ScimException.InvalidFilter($"Comparing '{path}' needs a sub-attribute such as '{path.Attribute}.value'.");
            }

            var sub = path.SubAttribute;
            _ = EdgeOperand("m", sub);
            return AnyValue(EdgesExist, alias => EdgeOperand(alias, sub), node.Operator, node.Value);
        }

        if (IsGroupsAttribute(path))
        {
            return GroupsComparison(path, node);
        }

        var shape = Describe(path, node.Value);
        if (shape.MultiValued)
        {
            if (path.SubAttribute is null)
            {
                RequireSimple(shape, path);
                return AnyValue(
                    predicate => ElementsExist(shape, objectsOnly: false, predicate),
                    alias => new Operand(shape.Name, _dialect.ElementValue(alias, Extracted(shape.Type)), shape.Type, shape.CaseExact),
                    node.Operator,
                    node.Value);
            }

            var subShape = DescribeSub(shape, path.SubAttribute, node.Value);
            return AnyValue(
                predicate => ElementsExist(shape, objectsOnly: true, predicate),
                alias => new Operand(
                    path.ToString(),
                    _dialect.JsonValue(_dialect.ElementJson(alias), JsonPath([subShape.Name]), Extracted(subShape.Type)),
                    subShape.Type,
                    subShape.CaseExact),
                node.Operator,
                node.Value);
        }

        if (path.SubAttribute is null)
        {
            RequireSimple(shape, path);
            var value = new Operand(shape.Name, _dialect.JsonValue(Json, JsonPath(shape), Extracted(shape.Type)), shape.Type, shape.CaseExact);
            return Compare(value, node.Operator, node.Value);
        }

        var nested = DescribeSub(shape, path.SubAttribute, node.Value);
        var nestedValue = new Operand(
            path.ToString(),
            _dialect.JsonValue(Json, JsonPath(shape, nested.Name), Extracted(nested.Type)),
            nested.Type,
            nested.CaseExact);
        return Compare(nestedValue, node.Operator, node.Value);
    }

    /// <summary>
    /// A comparison on a multi-valued attribute (or a sub-attribute reached through one), as the reference evaluator
    /// defines it: true when any present value satisfies it. Hence <c>ne</c> is true when some value differs or there
    /// is no value at all, <c>eq null</c> when no value is present and <c>ne null</c> when one is.
    /// </summary>
    private string AnyValue(Func<Func<string, string>, string> exists, Func<string, Operand> operandOf, ComparisonOperator op, JsonValue? value)
    {
        string AnyPresent() => exists(alias => PresentOperand(operandOf(alias)));

        if (value is null || value.GetValueKind() == JsonValueKind.Null)
        {
            return op switch
            {
                ComparisonOperator.Eq => $"(NOT {AnyPresent()})",
                ComparisonOperator.Ne => AnyPresent(),
                _ => throw ScimException.InvalidFilter($"'{Keyword(op)}' cannot compare with null."),
            };
        }

        if (op == ComparisonOperator.Ne)
        {
            var differs = exists(alias =>
            {
                var operand = operandOf(alias);
                return $"({PresentOperand(operand)} AND NOT {Compare(operand, ComparisonOperator.Eq, value)})";
            });
            return $"((NOT {AnyPresent()}) OR {differs})";
        }

        return exists(alias => Compare(operandOf(alias), op, value));
    }

    private string ElementsExist(AttributeShape shape, bool objectsOnly, Func<string, string> predicate)
    {
        var alias = NextAlias();
        return _dialect.JsonElementsExist(Json, JsonPath(shape), alias, objectsOnly, predicate(alias));
    }

    private string Present(AttributePath path)
    {
        if (Column(path) is { } column)
        {
            return PresentOperand(column);
        }

        if (IsEdgeAttribute(path))
        {
            if (path.SubAttribute is not null)
            {
                // Validates the sub-attribute; every edge has a value and a type.
                _ = EdgeOperand("m", path.SubAttribute);
            }

            return EdgesExist(_ => "(1 = 1)");
        }

        if (IsGroupsAttribute(path))
        {
            return GroupsPresent(path);
        }

        var shape = Describe(path, literal: null);
        if (path.SubAttribute is null)
        {
            return _dialect.JsonPresent(Json, JsonPath(shape));
        }

        var sub = DescribeSub(shape, path.SubAttribute, literal: null);
        if (!shape.MultiValued)
        {
            return _dialect.JsonPresent(Json, JsonPath(shape, sub.Name));
        }

        var alias = NextAlias();
        return _dialect.JsonElementsExist(
            Json,
            JsonPath(shape),
            alias,
            objectsOnly: true,
            _dialect.JsonPresent(_dialect.ElementJson(alias), JsonPath([sub.Name])));
    }

    private string ValuePath(ValuePathNode node)
    {
        var path = Normalize(node.Path);
        if (path.SubAttribute is not null)
        {
            throw ScimException.InvalidFilter($"A value filter applies to a multi-valued attribute, not to '{path}'.");
        }

        if (WorkEmail(path, node.Filter) is { } email)
        {
            return email;
        }

        if (IsEdgeAttribute(path))
        {
            return EdgesExist(alias => Node(node.Filter, new Scope(
                (sub, _) => EdgeOperand(alias, sub),
                sub =>
                {
                    _ = EdgeOperand(alias, sub);
                    return "(1 = 1)";
                },
                this)));
        }

        if (IsGroupsAttribute(path))
        {
            return GroupsValuePath(node);
        }

        var shape = Describe(path, literal: null);
        if (shape.Type != AttributeType.Complex)
        {
            throw ScimException.InvalidFilter($"A value filter needs a complex attribute; '{path}' is not one.");
        }

        if (shape.MultiValued)
        {
            var alias = NextAlias();
            var element = _dialect.ElementJson(alias);
            var inner = Node(node.Filter, new Scope(
                (sub, literal) =>
                {
                    var subShape = DescribeSub(shape, sub, literal);
                    return new Operand(shape.Name + "." + subShape.Name, _dialect.JsonValue(element, JsonPath([subShape.Name]), Extracted(subShape.Type)), subShape.Type, subShape.CaseExact);
                },
                sub => _dialect.JsonPresent(element, JsonPath([DescribeSub(shape, sub, null).Name])),
                this));
            return _dialect.JsonElementsExist(Json, JsonPath(shape), alias, objectsOnly: true, inner);
        }

        // A single-valued complex attribute: the filter applies to the object itself.
        return Node(node.Filter, new Scope(
            (sub, literal) =>
            {
                var subShape = DescribeSub(shape, sub, literal);
                return new Operand(shape.Name + "." + subShape.Name, _dialect.JsonValue(Json, JsonPath(shape, subShape.Name), Extracted(subShape.Type)), subShape.Type, subShape.CaseExact);
            },
            sub => _dialect.JsonPresent(Json, JsonPath(shape, DescribeSub(shape, sub, null).Name)),
            this));
    }

    /// <summary>
    /// Entra's <c>emails[type eq "work" and value eq "x"]</c> is answered from the indexed work-email column, which the
    /// writer fills with the user's work email.
    /// </summary>
    private string? WorkEmail(AttributePath path, FilterNode filter)
    {
        if (_kind != ResourceKind.User || path.SchemaUrn is not null || !Is(path.Attribute, "emails")
            || filter is not AndNode { Left: ComparisonNode left, Right: ComparisonNode right })
        {
            return null;
        }

        var (type, value) = IsSub(left, "type") ? (left, right) : (right, left);
        if (!IsSub(type, "type") || !IsSub(value, "value")
            || type.Operator != ComparisonOperator.Eq || value.Operator != ComparisonOperator.Eq
            || type.Value?.GetValueKind() != JsonValueKind.String || value.Value?.GetValueKind() != JsonValueKind.String
            || !string.Equals(type.Value.GetValue<string>(), "work", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var column = new Operand("emails.value", Row + ".work_email_key", AttributeType.String, CaseExact: false, PreLowered: true);
        return Compare(column, ComparisonOperator.Eq, value.Value);

        static bool IsSub(ComparisonNode node, string name) =>
            node.Path.SchemaUrn is null && node.Path.SubAttribute is null && Is(node.Path.Attribute, name);
    }

    private string Compare(Operand operand, ComparisonOperator op, JsonValue? value)
    {
        if (value is null || value.GetValueKind() == JsonValueKind.Null)
        {
            return op switch
            {
                ComparisonOperator.Eq => $"(NOT {PresentOperand(operand)})",
                ComparisonOperator.Ne => PresentOperand(operand),
                _ => throw ScimException.InvalidFilter($"'{Keyword(op)}' cannot compare '{operand.Name}' with null."),
            };
        }

        if (op == ComparisonOperator.Ne)
        {
            return $"(NOT {Compare(operand, ComparisonOperator.Eq, value)})";
        }

        return operand.Type switch
        {
            AttributeType.String or AttributeType.Reference or AttributeType.Binary => CompareText(operand, op, value),
            AttributeType.Boolean => CompareBoolean(operand, op, value),
            AttributeType.Integer or AttributeType.Decimal => CompareNumber(operand, op, value),
            AttributeType.DateTime => CompareTime(operand, op, value),
            _ => throw ScimException.InvalidFilter($"'{operand.Name}' is complex; compare one of its sub-attributes."),
        };
    }

    private string CompareText(Operand operand, ComparisonOperator op, JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.String)
        {
            throw ScimException.InvalidFilter($"'{operand.Name}' is compared with a string value.");
        }

        var text = value.GetValue<string>();
        var x = operand.CaseExact || operand.PreLowered ? operand.Sql : _dialect.Lower(operand.Sql);
        var p = _parameters.Add(operand.CaseExact ? text : text.ToLowerInvariant());

        // Case-exact substring tests use substr/instr, not LIKE: SQLite's LIKE folds ASCII case, and no literal
        // character then needs escaping.
        var test = op switch
        {
            ComparisonOperator.Eq => $"{x} = {p}",
            ComparisonOperator.Co => _dialect.Contains(x, p),
            ComparisonOperator.Sw => $"substr({x}, 1, length({p})) = {p}",
            ComparisonOperator.Ew => $"length({x}) >= length({p}) AND substr({x}, length({x}) - length({p}) + 1) = {p}",
            _ => $"{x} {Relational(op)} {p}",
        };
        // An empty string counts as absent (RFC 7644 "pr"), as in the reference evaluator.
        return $"({x} IS NOT NULL AND {x} <> '' AND {test})";
    }

    private string CompareBoolean(Operand operand, ComparisonOperator op, JsonValue value)
    {
        var kind = value.GetValueKind();
        if (kind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw ScimException.InvalidFilter($"'{operand.Name}' is compared with true or false.");
        }

        if (op != ComparisonOperator.Eq)
        {
            throw ScimException.InvalidFilter($"'{Keyword(op)}' is not defined for the boolean '{operand.Name}'.");
        }

        var p = _parameters.Add(_dialect.BooleanValue(kind == JsonValueKind.True));
        return $"({operand.Sql} IS NOT NULL AND {operand.Sql} = {p})";
    }

    private string CompareNumber(Operand operand, ComparisonOperator op, JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            throw ScimException.InvalidFilter($"'{operand.Name}' is compared with a number.");
        }

        if (op is ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew)
        {
            throw ScimException.InvalidFilter($"'{Keyword(op)}' is not defined for the number '{operand.Name}'.");
        }

        var p = _parameters.Add(Number(value));
        return $"({operand.Sql} IS NOT NULL AND {operand.Sql} {Relational(op)} {p})";
    }

    private string CompareTime(Operand operand, ComparisonOperator op, JsonValue value)
    {
        if (value.GetValueKind() != JsonValueKind.String
            || !DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            throw ScimException.InvalidFilter($"'{operand.Name}' is compared with an xsd:dateTime string.");
        }

        if (op is ComparisonOperator.Co or ComparisonOperator.Sw or ComparisonOperator.Ew)
        {
            throw ScimException.InvalidFilter($"'{Keyword(op)}' is not defined for the dateTime '{operand.Name}'.");
        }

        if (!operand.IsTime)
        {
            // A dateTime inside the JSON: text in the writer's normal form, compared through its fixed-width key,
            // which has the stored text's full 100 ns resolution.
            var key = TimeKeys.Sql(operand.Sql);
            var literal = _parameters.Add(TimeKeys.FromInstant(instant));
            return $"({key} IS NOT NULL AND {key} {Relational(op)} {literal})";
        }

        // Stored times have microsecond resolution; a literal with a finer fraction lies strictly between two
        // stored values, so each operator is mapped onto the microsecond below it to stay exact.
        var floor = StoreTime.ToUnixMicroseconds(instant);
        var fraction = StoreTime.HasSubMicrosecondPart(instant);
        var (sqlOp, bound) = (op, fraction) switch
        {
            (ComparisonOperator.Eq, true) => ((string?)null, floor),
            (ComparisonOperator.Eq, false) => ("=", floor),
            (ComparisonOperator.Gt, _) => (">", floor),
            (ComparisonOperator.Ge, true) => (">", floor),
            (ComparisonOperator.Ge, false) => (">=", floor),
            (ComparisonOperator.Lt, true) => ("<=", floor),
            (ComparisonOperator.Lt, false) => ("<", floor),
            _ => ("<=", floor),
        };

        if (sqlOp is null)
        {
            return "(1 = 0)";
        }

        var p = _parameters.Add(_dialect.TimeValue(bound));
        return $"({operand.Sql} IS NOT NULL AND {operand.Sql} {sqlOp} {p})";
    }

    /// <summary>An integer stays exact as a long; anything else compares as a double (SQLite binds decimal as text).</summary>
    private static object Number(JsonValue value)
    {
        if (value.TryGetValue<long>(out var integer))
        {
            return integer;
        }

        if (value.TryGetValue<int>(out var small))
        {
            return (long)small;
        }

        if (value.TryGetValue<double>(out var real))
        {
            return real;
        }

        var text = value.ToJsonString();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out integer)
            ? integer
            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static string PresentOperand(Operand operand) => IsText(operand.Type)
        ? $"({operand.Sql} IS NOT NULL AND {operand.Sql} <> '')"
        : $"({operand.Sql} IS NOT NULL)";

    /// <summary>Attributes kept in their own columns (core attributes of this resource type only).</summary>
    private Operand? Column(AttributePath path)
    {
        if (path.SchemaUrn is not null)
        {
            return null;
        }

        if (Is(path.Attribute, "meta"))
        {
            return path.SubAttribute switch
            {
                { } sub when Is(sub, "created") => new Operand("meta.created", Row + ".created", AttributeType.DateTime, CaseExact: true, IsTime: true),
                { } sub when Is(sub, "lastModified") => new Operand("meta.lastModified", Row + ".last_modified", AttributeType.DateTime, CaseExact: true, IsTime: true),
                _ => throw Unsupported($"filtering on '{path}'"),
            };
        }

        if (Is(path.Attribute, "password"))
        {
            throw ScimException.InvalidFilter("'password' cannot be used in a filter.");
        }

        if (path.SubAttribute is not null)
        {
            return null;
        }

        return path.Attribute switch
        {
            var a when Is(a, "id") => new Operand("id", Row + ".id", AttributeType.String, CaseExact: true),
            var a when Is(a, "externalId") => new Operand("externalId", Row + ".external_id", AttributeType.String, CaseExact: true),
            var a when Is(a, "displayName") => new Operand("displayName", Row + ".display_name_key", AttributeType.String, CaseExact: false, PreLowered: true),
            var a when _kind == ResourceKind.User && Is(a, "userName") =>
                new Operand("userName", Row + ".user_name_key", AttributeType.String, CaseExact: false, PreLowered: true),
            var a when _kind == ResourceKind.User && Is(a, "active") => new Operand("active", Row + ".active", AttributeType.Boolean, CaseExact: false),
            _ => null,
        };
    }

    private static Operand EdgeOperand(string alias, string subAttribute) => subAttribute switch
    {
        var s when Is(s, "value") => new Operand("members.value", alias + ".member_id", AttributeType.String, CaseExact: true),
        var s when Is(s, "type") => new Operand(
            "members.type",
            $"(CASE {alias}.member_kind WHEN {(int)ResourceKind.User} THEN 'User' WHEN {(int)ResourceKind.Group} THEN 'Group' END)",
            AttributeType.String,
            CaseExact: false),
        _ => throw Unsupported($"filtering on 'members.{subAttribute}'"),
    };

    private string EdgesExist(Func<string, string> predicate)
    {
        var alias = NextAlias();
        return $"EXISTS (SELECT 1 FROM memberships {alias} WHERE {alias}.tenant_id = {Row}.tenant_id AND {alias}.group_id = {Row}.id AND {predicate(alias)})";
    }

    private bool IsEdgeAttribute(AttributePath path) =>
        _kind == ResourceKind.Group && path.SchemaUrn is null && Is(path.Attribute, "members");

    private AttributeShape Describe(AttributePath path, JsonValue? literal) =>
        _catalog.Describe(path.SchemaUrn, path.Attribute, literal)
        ?? throw ScimException.InvalidFilter($"The attribute '{path}' is unknown or not supported in filters.");

    private AttributeShape DescribeSub(AttributeShape parent, string subAttribute, JsonValue? literal) =>
        _catalog.DescribeSub(parent, subAttribute, literal)
        ?? throw ScimException.InvalidFilter($"The attribute '{parent.Name}.{subAttribute}' is unknown or not supported in filters.");

    private static void RequireSimple(AttributeShape shape, AttributePath path)
    {
        if (shape.Type == AttributeType.Complex)
        {
            throw ScimException.InvalidFilter($"'{path}' is complex; compare one of its sub-attributes.");
        }
    }

    private string JsonPath(AttributeShape shape, string? sub = null)
    {
        var segments = new List<string>(3);
        if (shape.ExtensionUrn is not null)
        {
            segments.Add(shape.ExtensionUrn);
        }

        segments.Add(shape.Name);
        if (sub is not null)
        {
            segments.Add(sub);
        }

        return JsonPath(segments);
    }

    private string JsonPath(IReadOnlyList<string> segments) => _parameters.Add(_dialect.JsonPath(segments));

    /// <summary>Drops a redundant core-schema URN so core attributes are recognised however they were spelled.</summary>
    private AttributePath Normalize(AttributePath path)
    {
        var core = _kind == ResourceKind.User ? ScimUris.User : ScimUris.Group;
        return path.SchemaUrn is not null && string.Equals(path.SchemaUrn, core, StringComparison.OrdinalIgnoreCase)
            ? path with { SchemaUrn = null }
            : path;
    }

    private string NextAlias() => "e" + (_aliasCount++).ToString(CultureInfo.InvariantCulture);

    /// <summary>dateTimes inside the JSON are read as their stored text (see <see cref="TimeKeys"/>).</summary>
    private static AttributeType Extracted(AttributeType type) => type == AttributeType.DateTime ? AttributeType.String : type;

    private static bool IsText(AttributeType type) =>
        type is AttributeType.String or AttributeType.Reference or AttributeType.Binary;

    private static bool Is(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);

    private static string Relational(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Eq => "=",
        ComparisonOperator.Gt => ">",
        ComparisonOperator.Ge => ">=",
        ComparisonOperator.Lt => "<",
        ComparisonOperator.Le => "<=",
        _ => throw ScimException.InvalidFilter($"'{Keyword(op)}' is not a relational operator."),
    };

    private static string Keyword(ComparisonOperator op) => op.ToString().ToLowerInvariant();

    private static ScimException Unsupported(string what) => ScimException.InvalidFilter($"{what} is not supported.");

    /// <summary>
    /// The element a value filter (<c>attr[...]</c>) is evaluated against: inner paths name its sub-attributes.
    /// </summary>
    private sealed class Scope(Func<string, JsonValue?, Operand> operand, Func<string, string> present, QuerySqlTranslator owner)
    {
        public string Compare(ComparisonNode node) =>
            owner.Compare(operand(SubName(node.Path), node.Value), node.Operator, node.Value);

        public string Present(AttributePath path) => present(SubName(path));

        private static string SubName(AttributePath path) =>
            path.SchemaUrn is null && path.SubAttribute is null
                ? path.Attribute
                : throw ScimException.InvalidFilter($"'{path}' inside a value filter must name a sub-attribute of the filtered attribute.");
    }
}
