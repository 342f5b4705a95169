using System.Globalization;
using System.Text;

namespace ScimOrleans.Protocol.Filtering;

/// <summary>
/// Splits a filter into tokens. Words are maximal runs of characters other than white space, brackets,
/// parentheses and quotes; the parser decides by position whether a word is a path, an operator or a literal.
/// </summary>
internal static class FilterLexer
{
    public static List<FilterToken> Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            switch (c)
            {
                case '(':
                    tokens.Add(new FilterToken(FilterTokenKind.OpenParen, "(", i++));
                    continue;
                case ')':
                    tokens.Add(new FilterToken(FilterTokenKind.CloseParen, ")", i++));
                    continue;
                case '[':
                    tokens.Add(new FilterToken(FilterTokenKind.OpenBracket, "[", i++));
                    continue;
                case ']':
                    tokens.Add(new FilterToken(FilterTokenKind.CloseBracket, "]", i++));
                    continue;
                case '"':
                    tokens.Add(ReadString(text, ref i));
                    continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '[' or ']' or '"'))
            {
                i++;
            }

            tokens.Add(new FilterToken(FilterTokenKind.Word, text[start..i], start));
        }

        tokens.Add(new FilterToken(FilterTokenKind.End, "", text.Length));
        return tokens;
    }

    /// <summary>Reads a JSON string literal (RFC 8259 §7) starting at the opening quote.</summary>
    private static FilterToken ReadString(string text, ref int i)
    {
        var start = i;
        var builder = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                return new FilterToken(FilterTokenKind.String, builder.ToString(), start);
            }

            if (c != '\\')
            {
                builder.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                break;
            }

            var escape = text[i + 1];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (i + 6 > text.Length
                        || !ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw FilterParser.Error($"invalid \\u escape in string", i);
                    }

                    builder.Append((char)code);
                    i += 4;
                    break;
                default:
                    throw FilterParser.Error($"invalid escape '\\{escape}' in string", i);
            }

            i += 2;
        }

        throw FilterParser.Error("unterminated string", start);
    }
}
