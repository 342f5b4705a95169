using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// A value a comparison can be made against: an SQL expression and how to compare it. <see cref="PreLowered"/> marks
/// key columns that already hold the lower-cased text, so only the literal needs folding and the index stays usable.
/// <see cref="IsTime"/> marks the microsecond time columns (meta.created, meta.lastModified).
/// </summary>
internal sealed record Operand(string Name, string Sql, AttributeType Type, bool CaseExact, bool PreLowered = false, bool IsTime = false);
