using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Projection;

/// <summary>The <c>attributes</c> / <c>excludedAttributes</c> of a request (RFC 7644 §3.4.2.5), bound to a schema.</summary>
/// <remarks>
/// Paths are canonical (schema spelling; <see cref="AttributePath.SchemaUrn"/> set for extension attributes only).
/// A schema URN on its own stands for every attribute of that schema. When both lists are given, which RFC 7644
/// does not allow, <see cref="ExcludedAttributes"/> is ignored.
/// </remarks>
public sealed record AttributeSelection(IReadOnlyList<AttributePath> Attributes, IReadOnlyList<AttributePath> ExcludedAttributes)
{
    /// <summary>No selection: attributes returned "always" or "default".</summary>
    public static AttributeSelection Default { get; } = new([], []);

    /// <summary>
    /// Parses the comma-separated query parameters. Unknown attribute names are ignored (RFC 7644 leaves them
    /// undefined; clients send them). Throws 400 invalidSyntax only on malformed paths.
    /// </summary>
    public static AttributeSelection Parse(string? attributes, string? excludedAttributes, ResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var included = ParseList(attributes, schema);
        var excluded = included.Count > 0 ? [] : ParseList(excludedAttributes, schema);
        return included.Count == 0 && excluded.Count == 0 ? Default : new AttributeSelection(included, excluded);
    }

    /// <summary>
    /// Whether the top-level attribute <paramref name="attributeName"/> of the core schema would appear in the
    /// response. Lets callers skip loading expensive attributes (<c>members</c>, <c>groups</c>).
    /// </summary>
    public bool Returns(ResourceSchema schema, string attributeName)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var resolved = schema.Resolve(new AttributePath(null, attributeName, null));
        return resolved is not null && Includes(resolved.Attribute, null);
    }

    /// <summary>
    /// Whether the top-level attribute <paramref name="attribute"/> of the schema <paramref name="extensionUrn"/>
    /// (null for core) is returned, at least in part.
    /// </summary>
    internal bool Includes(AttributeDefinition attribute, string? extensionUrn)
    {
        if (attribute.Returned == Returned.Never)
        {
            return false;
        }

        if (attribute.Returned == Returned.Always)
        {
            return true;
        }

        // Loops, not Any(lambda): this runs for every attribute of every resource a response renders, and a lambda
        // capturing the parameters had its closure allocated on every call, whichever branch ran.
        if (Attributes.Count > 0)
        {
            foreach (var path in Attributes)
            {
                if (Same(path, attribute, extensionUrn))
                {
                    return true;
                }
            }

            return false;
        }

        if (attribute.Returned == Returned.Request)
        {
            return false;
        }

        foreach (var path in ExcludedAttributes)
        {
            if (path.SubAttribute is null && Same(path, attribute, extensionUrn))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether sub-attribute <paramref name="sub"/> of an included attribute is returned: in an
    /// <see cref="Attributes"/> list naming sub-attributes only those named (and "always" ones) are.
    /// </summary>
    internal bool IncludesSub(AttributeDefinition attribute, string? extensionUrn, AttributeDefinition sub)
    {
        if (sub.Returned == Returned.Never)
        {
            return false;
        }

        if (sub.Returned == Returned.Always || attribute.Returned == Returned.Always)
        {
            return true;
        }

        if (Attributes.Count > 0)
        {
            // The attribute named whole, or this sub-attribute named.
            foreach (var path in Attributes)
            {
                if (Same(path, attribute, extensionUrn)
                    && (path.SubAttribute is null || string.Equals(path.SubAttribute, sub.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    return true;
                }
            }

            return false;
        }

        if (sub.Returned == Returned.Request)
        {
            return false;
        }

        foreach (var path in ExcludedAttributes)
        {
            if (Same(path, attribute, extensionUrn) && string.Equals(path.SubAttribute, sub.Name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same(AttributePath path, AttributeDefinition attribute, string? extensionUrn) =>
        string.Equals(path.Attribute, attribute.Name, StringComparison.OrdinalIgnoreCase)
        && string.Equals(path.SchemaUrn, extensionUrn, StringComparison.OrdinalIgnoreCase);

    private static List<AttributePath> ParseList(string? text, ResourceSchema schema)
    {
        var result = new List<AttributePath>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }

        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var wholeSchema = raw.Contains(':', StringComparison.Ordinal) ? schema.FindSchema(raw) : null;
            if (wholeSchema is not null)
            {
                var urn = ReferenceEquals(wholeSchema, schema.Core) ? null : wholeSchema.Id;
                result.AddRange(wholeSchema.Attributes.Select(a => new AttributePath(urn, a.Name, null)));
                continue;
            }

            if (!AttributePath.TryParse(raw, out var path, out var error))
            {
                throw ScimException.InvalidSyntax(error);
            }

            var resolved = schema.Resolve(path);
            if (resolved is null)
            {
                continue;
            }

            var canonical = new AttributePath(resolved.IsCore ? null : resolved.Schema.Id, resolved.Attribute.Name, resolved.SubAttribute?.Name);
            if (!result.Contains(canonical))
            {
                result.Add(canonical);
            }
        }

        return result;
    }
}
