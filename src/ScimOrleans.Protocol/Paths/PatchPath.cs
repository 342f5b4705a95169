using ScimOrleans.Protocol.Filtering;

namespace ScimOrleans.Protocol.Paths;

/// <summary>
/// A PATCH <c>path</c> (RFC 7644 §3.5.2): <c>attrPath</c>, <c>attrPath[valFilter]</c> or
/// <c>attrPath[valFilter].subAttr</c>.
/// </summary>
public sealed record PatchPath(AttributePath Attribute, FilterNode? ValueFilter, string? SubAttribute)
{
    /// <summary>Parses a PATCH path; throws <see cref="Errors.ScimException"/> (invalidPath) on bad syntax.</summary>
    public static PatchPath Parse(string text) => throw new NotImplementedException();
}
