namespace ScimOrleans.Protocol.Resources;

/// <summary>A group member named in a request: its id and, if the client said, its type ("User" or "Group").</summary>
public sealed record MemberReference(string Value, string? Type);
