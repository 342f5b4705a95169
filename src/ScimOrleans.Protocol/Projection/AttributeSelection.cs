using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Projection;

/// <summary>The <c>attributes</c> / <c>excludedAttributes</c> of a request (RFC 7644 §3.4.2.5), bound to a schema.</summary>
public sealed record AttributeSelection(IReadOnlyList<AttributePath> Attributes, IReadOnlyList<AttributePath> ExcludedAttributes)
{
    /// <summary>No selection: attributes returned "always" or "default".</summary>
    public static AttributeSelection Default { get; } = new([], []);

    /// <summary>
    /// Parses the comma-separated query parameters. Unknown attribute names are ignored (RFC 7644 leaves them
    /// undefined; clients send them). Throws 400 invalidSyntax only on malformed paths.
    /// </summary>
    public static AttributeSelection Parse(string? attributes, string? excludedAttributes, ResourceSchema schema) =>
        throw new NotImplementedException();

    /// <summary>
    /// Whether the top-level attribute <paramref name="attributeName"/> of the core schema would appear in the
    /// response. Lets callers skip loading expensive attributes (<c>members</c>, <c>groups</c>).
    /// </summary>
    public bool Returns(ResourceSchema schema, string attributeName) => throw new NotImplementedException();
}
