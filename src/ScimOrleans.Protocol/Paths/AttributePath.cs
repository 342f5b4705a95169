using ScimOrleans.Protocol.Errors;

namespace ScimOrleans.Protocol.Paths;

/// <summary>
/// <c>[urn:]attribute[.subAttribute]</c> (RFC 7644 §3.10 <c>attrPath</c>). <see cref="SchemaUrn"/> is null when the
/// path was not URN-qualified. After binding against a schema, names are in canonical spelling and
/// <see cref="SchemaUrn"/> is set for extension attributes only.
/// </summary>
public sealed record AttributePath(string? SchemaUrn, string Attribute, string? SubAttribute)
{
    /// <summary>Parses an attribute path; throws <see cref="Errors.ScimException"/> (invalidPath) on bad syntax.</summary>
    public static AttributePath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : throw ScimException.InvalidPath(error);

    /// <summary>Parses an attribute path without throwing; <paramref name="error"/> explains a failure.</summary>
    public static bool TryParse(string? text, out AttributePath path, out string error)
    {
        path = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The attribute path is empty.";
            return false;
        }

        var trimmed = text.Trim();
        string? urn = null;
        var names = trimmed;
        // Schema URNs contain ':' and '.', attribute names neither: the URN ends at the last ':'.
        var colon = trimmed.LastIndexOf(':');
        if (colon >= 0)
        {
            urn = trimmed[..colon];
            names = trimmed[(colon + 1)..];
            if (!AttributeNames.IsValidUrn(urn))
            {
                error = $"'{Shorten(trimmed)}' is not a valid attribute path: the schema URN is malformed.";
                return false;
            }
        }

        var dot = names.IndexOf('.', StringComparison.Ordinal);
        var attribute = dot < 0 ? names : names[..dot];
        var subAttribute = dot < 0 ? null : names[(dot + 1)..];
        if (!AttributeNames.IsValid(attribute) || (subAttribute is not null && !AttributeNames.IsValid(subAttribute)))
        {
            error = $"'{Shorten(trimmed)}' is not a valid attribute path.";
            return false;
        }

        path = new AttributePath(urn, attribute, subAttribute);
        error = "";
        return true;
    }

    public override string ToString() =>
        (SchemaUrn is null ? "" : SchemaUrn + ":") + Attribute + (SubAttribute is null ? "" : "." + SubAttribute);

    /// <summary>Keeps error details readable when a client sends something huge.</summary>
    internal static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
