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
    public AttributeDefinition? FindSubAttribute(string name) => Named(SubAttributes, name);

    /// <summary>
    /// The attribute of <paramref name="attributes"/> called <paramref name="name"/> (case-insensitive), or null. A
    /// plain loop: it runs for every attribute of every request body, where a LINQ lambda allocated its closure each time.
    /// </summary>
    internal static AttributeDefinition? Named(IReadOnlyList<AttributeDefinition> attributes, string name)
    {
        for (var i = 0; i < attributes.Count; i++)
        {
            if (string.Equals(attributes[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return attributes[i];
            }
        }

        return null;
    }
}
