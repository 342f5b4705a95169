namespace ScimOrleans.Storage;

/// <summary>One page of a list query.</summary>
public sealed record QueryPage(int TotalResults, IReadOnlyList<ResourceRow> Rows);
