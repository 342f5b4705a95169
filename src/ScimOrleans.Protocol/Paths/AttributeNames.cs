namespace ScimOrleans.Protocol.Paths;

/// <summary>The lexical rules for attribute names (RFC 7644 §3.10 ATTRNAME, plus <c>$ref</c>).</summary>
internal static class AttributeNames
{
    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.Equals("$ref", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (name.IsEmpty || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Characters that cannot appear in a schema URN prefix of a path.</summary>
    public static bool IsValidUrn(ReadOnlySpan<char> urn)
    {
        if (urn.IsEmpty || urn[^1] == ':')
        {
            return false;
        }

        foreach (var c in urn)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '[' or ']' or '(' or ')' or '"' or ',')
            {
                return false;
            }
        }

        return true;
    }
}
