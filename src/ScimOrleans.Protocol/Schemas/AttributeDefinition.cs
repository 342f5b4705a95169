namespace ScimOrleans.Protocol.Schemas;

/// <summary>
/// One attribute of a schema (RFC 7643 §7). Defaults are the RFC's defaults: string, single-valued, optional,
/// case-insensitive, readWrite, returned by default, not unique.
/// </summary>
public sealed record AttributeDefinition
{
    public required string Name { get; init; }
    public AttributeType Type { get; init; } = AttributeType.String;
    public bool MultiValued { get; init; }
    public bool Required { get; init; }
    public bool CaseExact { get; init; }
    public Mutability Mutability { get; init; } = Mutability.ReadWrite;
    public Returned Returned { get; init; } = Returned.Default;
    public Uniqueness Uniqueness { get; init; } = Uniqueness.None;
    public string Description { get; init; } = "";
    public IReadOnlyList<AttributeDefinition> SubAttributes { get; init; } = [];
    public IReadOnlyList<string> CanonicalValues { get; init; } = [];
    public IReadOnlyList<string> ReferenceTypes { get; init; } = [];

    /// <summary>Finds a sub-attribute by name, case-insensitively (RFC 7643 §2.1).</summary>
    public AttributeDefinition? FindSubAttribute(string name) =>
        SubAttributes.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
}
