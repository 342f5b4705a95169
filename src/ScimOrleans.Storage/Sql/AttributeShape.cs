using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// What the translator needs to know about an attribute or sub-attribute: where it lives in the JSON (canonical name,
/// extension URN), its type, whether it is multi-valued and whether text comparisons are case-exact.
/// </summary>
internal sealed record AttributeShape(string? ExtensionUrn, string Name, AttributeType Type, bool MultiValued, bool CaseExact);
