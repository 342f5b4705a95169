namespace ScimOrleans.Protocol.Paths;

/// <summary>
/// <c>[urn:]attribute[.subAttribute]</c> (RFC 7644 §3.10 <c>attrPath</c>). <see cref="SchemaUrn"/> is null when the
/// path was not URN-qualified. After binding against a schema, names are in canonical spelling and
/// <see cref="SchemaUrn"/> is set for extension attributes only.
/// </summary>
public sealed record AttributePath(string? SchemaUrn, string Attribute, string? SubAttribute)
{
    /// <summary>Parses an attribute path; throws <see cref="Errors.ScimException"/> (invalidPath) on bad syntax.</summary>
    public static AttributePath Parse(string text) => throw new NotImplementedException();

    public override string ToString() =>
        (SchemaUrn is null ? "" : SchemaUrn + ":") + Attribute + (SubAttribute is null ? "" : "." + SubAttribute);
}
