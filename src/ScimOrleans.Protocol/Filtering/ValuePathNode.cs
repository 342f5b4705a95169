using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Filtering;

/// <summary>
/// <c>attrPath[valFilter]</c> on a multi-valued attribute: true when one element satisfies <see cref="Filter"/>,
/// whose paths name sub-attributes of that element (<see cref="AttributePath.Attribute"/> is the sub-attribute
/// name there). Entra's <c>emails[type eq "work"].value eq "x"</c> parses as
/// <c>emails[type eq "work" and value eq "x"]</c>.
/// </summary>
public sealed record ValuePathNode(AttributePath Path, FilterNode Filter) : FilterNode;
