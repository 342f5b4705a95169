namespace ScimOrleans.Silo.Admin;

/// <summary>A token's public facts.</summary>
public sealed record TokenSummary(string Id, DateTimeOffset Created, string? Description);
