namespace ScimOrleans.Storage;

/// <summary>
/// The attributes the store keeps in their own indexed columns, extracted by the writer from the resource JSON.
/// <see cref="UserName"/> (users) and <see cref="DisplayName"/> (groups) are unique per tenant, case-insensitively.
/// </summary>
public sealed record IndexedAttributes(
    string? UserName,
    string? ExternalId,
    string? DisplayName,
    bool? Active,
    string? WorkEmail);
