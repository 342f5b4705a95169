using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Filtering;

/// <summary><c>attrPath pr</c>.</summary>
public sealed record PresentNode(AttributePath Path) : FilterNode;
