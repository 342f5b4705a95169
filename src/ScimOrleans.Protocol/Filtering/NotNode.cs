namespace ScimOrleans.Protocol.Filtering;

/// <summary><c>not (inner)</c>.</summary>
public sealed record NotNode(FilterNode Inner) : FilterNode;
