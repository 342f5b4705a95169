using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Filtering;

namespace ScimOrleans.Protocol.Paths;

/// <summary>
/// A PATCH <c>path</c> (RFC 7644 §3.5.2): <c>attrPath</c>, <c>attrPath[valFilter]</c> or
/// <c>attrPath[valFilter].subAttr</c>.
/// </summary>
public sealed record PatchPath(AttributePath Attribute, FilterNode? ValueFilter, string? SubAttribute)
{
    /// <summary>
    /// Parses a PATCH path; throws <see cref="Errors.ScimException"/> (invalidPath) on bad syntax. A syntax error
    /// inside the brackets is reported as invalidFilter, the keyword RFC 7644 §3.12 gives PATCH path filters.
    /// </summary>
    public static PatchPath Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ScimException.InvalidPath("The PATCH path is empty.");
        }

        var trimmed = text.Trim();
        var open = trimmed.IndexOf('[', StringComparison.Ordinal);
        if (open < 0)
        {
            return new PatchPath(AttributePath.Parse(trimmed), null, null);
        }

        var attribute = AttributePath.Parse(trimmed[..open]);
        if (attribute.SubAttribute is not null)
        {
            throw ScimException.InvalidPath(
                $"'{AttributePath.Shorten(trimmed)}' is not a valid PATCH path: a value filter must follow a top-level attribute.");
        }

        var close = FindClosingBracket(trimmed, open);
        if (close < 0)
        {
            throw ScimException.InvalidPath($"'{AttributePath.Shorten(trimmed)}' is not a valid PATCH path: the '[' is not closed.");
        }

        var filter = FilterParser.Parse(trimmed[(open + 1)..close]);
        var rest = trimmed[(close + 1)..];
        if (rest.Length == 0)
        {
            return new PatchPath(attribute, filter, null);
        }

        if (rest[0] != '.' || !AttributeNames.IsValid(rest.AsSpan(1)))
        {
            throw ScimException.InvalidPath(
                $"'{AttributePath.Shorten(trimmed)}' is not a valid PATCH path: only '.subAttribute' may follow the value filter.");
        }

        return new PatchPath(attribute, filter, rest[1..]);
    }

    public override string ToString() =>
        Attribute + (ValueFilter is null ? "" : "[" + ValueFilter + "]") + (SubAttribute is null ? "" : "." + SubAttribute);

    /// <summary>Finds the ']' matching the '[' at <paramref name="open"/>, skipping brackets inside quoted strings.</summary>
    private static int FindClosingBracket(string text, int open)
    {
        var depth = 0;
        var inString = false;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c == '[')
            {
                depth++;
            }
            else if (c == ']' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
