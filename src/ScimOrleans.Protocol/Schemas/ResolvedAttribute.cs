namespace ScimOrleans.Protocol.Schemas;

/// <summary>
/// An attribute path resolved against a resource schema: the schema it lives in, its top-level attribute and,
/// for a sub-attribute path, the sub-attribute. Names here are in the schema's canonical spelling.
/// </summary>
public sealed record ResolvedAttribute(SchemaDefinition Schema, AttributeDefinition Attribute, AttributeDefinition? SubAttribute)
{
    /// <summary>True when the attribute lives in the resource type's core schema (not an extension).</summary>
    public required bool IsCore { get; init; }

    /// <summary>The definition the path finally points at (the sub-attribute if there is one).</summary>
    public AttributeDefinition Target => SubAttribute ?? Attribute;
}
