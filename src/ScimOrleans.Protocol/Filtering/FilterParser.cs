using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Paths;

namespace ScimOrleans.Protocol.Filtering;

/// <summary>Parses the full RFC 7644 §3.4.2.2 filter grammar. Never throws anything but <see cref="Errors.ScimException"/>.</summary>
/// <remarks>
/// Precedence is <c>not</c> over <c>and</c> over <c>or</c>; <c>and</c>/<c>or</c> chains associate to the left.
/// Operators, logical keywords and the literals <c>true</c>/<c>false</c>/<c>null</c> are case-insensitive.
/// <c>not</c> is accepted before a parenthesised filter (the RFC form) and, leniently, before a single expression.
/// </remarks>
public static partial class FilterParser
{
    /// <summary>Longest filter accepted; far above anything an IdP sends, low enough to bound the work per request.</summary>
    public const int MaxLength = 10_000;

    /// <summary>Deepest nesting of parentheses, <c>not</c> and value filters accepted.</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="Errors.ScimException"/> (400 invalidFilter) on any error.</summary>
    public static FilterNode Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ScimException.InvalidFilter("The filter is empty.");
        }

        if (text.Length > MaxLength)
        {
            throw ScimException.InvalidFilter($"The filter is longer than {MaxLength} characters.");
        }

        var parser = new Parser(FilterLexer.Tokenize(text));
        var node = parser.ParseOr(depth: 0, inValuePath: false);
        var next = parser.Peek;
        if (next.Kind != FilterTokenKind.End)
        {
            throw Error($"unexpected {next.Describe()}; expected 'and', 'or' or the end of the filter", next.Position);
        }

        return node;
    }

    internal static ScimException Error(string problem, int position) =>
        ScimException.InvalidFilter($"Invalid filter at position {position + 1}: {problem}.");

    internal static bool TryParseOperator(string word, out ComparisonOperator op)
    {
        switch (word.ToLowerInvariant())
        {
            case "eq": op = ComparisonOperator.Eq; return true;
            case "ne": op = ComparisonOperator.Ne; return true;
            case "co": op = ComparisonOperator.Co; return true;
            case "sw": op = ComparisonOperator.Sw; return true;
            case "ew": op = ComparisonOperator.Ew; return true;
            case "gt": op = ComparisonOperator.Gt; return true;
            case "ge": op = ComparisonOperator.Ge; return true;
            case "lt": op = ComparisonOperator.Lt; return true;
            case "le": op = ComparisonOperator.Le; return true;
            default: op = default; return false;
        }
    }

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    private sealed class Parser(List<FilterToken> tokens)
    {
        private int _index;

        public FilterToken Peek => tokens[_index];

        private FilterToken PeekAt(int offset) => tokens[Math.Min(_index + offset, tokens.Count - 1)];

        private FilterToken Next() => tokens[_index < tokens.Count - 1 ? _index++ : _index];

        public FilterNode ParseOr(int depth, bool inValuePath)
        {
            var left = ParseAnd(depth, inValuePath);
            while (Peek.IsWord("or"))
            {
                Next();
                left = new OrNode(left, ParseAnd(depth, inValuePath));
            }

            return left;
        }

        private FilterNode ParseAnd(int depth, bool inValuePath)
        {
            var left = ParseUnary(depth, inValuePath);
            while (Peek.IsWord("and"))
            {
                Next();
                left = new AndNode(left, ParseUnary(depth, inValuePath));
            }

            return left;
        }

        private FilterNode ParseUnary(int depth, bool inValuePath)
        {
            var token = Peek;
            // "not" is the logical operator unless it is an attribute named "not" followed by its operator.
            if (token.IsWord("not") && !IsOperatorWord(PeekAt(1)))
            {
                CheckDepth(depth + 1, token);
                Next();
                return new NotNode(ParseUnary(depth + 1, inValuePath));
            }

            return ParsePrimary(depth, inValuePath);
        }

        private FilterNode ParsePrimary(int depth, bool inValuePath)
        {
            var token = Peek;
            if (token.Kind == FilterTokenKind.OpenParen)
            {
                CheckDepth(depth + 1, token);
                Next();
                var inner = ParseOr(depth + 1, inValuePath);
                var close = Next();
                if (close.Kind != FilterTokenKind.CloseParen)
                {
                    throw Error($"expected ')' to close the '(' at position {token.Position + 1} but found {close.Describe()}", close.Position);
                }

                return inner;
            }

            return ParseAttributeExpression(depth, inValuePath);
        }

        private FilterNode ParseAttributeExpression(int depth, bool inValuePath)
        {
            var token = Next();
            if (token.Kind != FilterTokenKind.Word)
            {
                throw Error($"expected an attribute path but found {token.Describe()}", token.Position);
            }

            var path = ParsePath(token.Text, token.Position);
            var next = Peek;
            if (next.Kind == FilterTokenKind.OpenBracket)
            {
                return ParseValuePath(path, token, depth, inValuePath);
            }

            return ParseOperation(path, token);
        }

        private ValuePathNode ParseValuePath(AttributePath path, FilterToken pathToken, int depth, bool inValuePath)
        {
            var open = Next();
            if (inValuePath)
            {
                throw Error("value filters cannot be nested", open.Position);
            }

            if (path.SubAttribute is not null)
            {
                throw Error($"a value filter must follow a top-level attribute, not '{pathToken.Text}'", open.Position);
            }

            CheckDepth(depth + 1, open);
            var inner = ParseOr(depth + 1, inValuePath: true);
            var close = Next();
            if (close.Kind != FilterTokenKind.CloseBracket)
            {
                throw Error($"expected ']' to close the '[' at position {open.Position + 1} but found {close.Describe()}", close.Position);
            }

            // Entra's emails[type eq "work"].value eq "x" means: an element with type "work" and value "x".
            var suffix = Peek;
            if (suffix.Kind == FilterTokenKind.Word && suffix.Text.StartsWith('.'))
            {
                Next();
                var subName = suffix.Text[1..];
                if (!AttributeNames.IsValid(subName))
                {
                    throw Error($"'{suffix.Text}' is not a valid sub-attribute", suffix.Position);
                }

                var sub = ParseOperation(new AttributePath(null, subName, null), suffix);
                return new ValuePathNode(path, new AndNode(inner, sub));
            }

            return new ValuePathNode(path, inner);
        }

        private FilterNode ParseOperation(AttributePath path, FilterToken pathToken)
        {
            var opToken = Next();
            if (opToken.Kind != FilterTokenKind.Word)
            {
                throw Error($"expected an operator after '{pathToken.Text}' but found {opToken.Describe()}", opToken.Position);
            }

            if (opToken.IsWord("pr"))
            {
                return new PresentNode(path);
            }

            if (!TryParseOperator(opToken.Text, out var op))
            {
                throw Error($"unknown operator {opToken.Describe()}; expected eq, ne, co, sw, ew, gt, ge, lt, le or pr", opToken.Position);
            }

            return new ComparisonNode(path, op, ParseValue(opToken));
        }

        private JsonValue? ParseValue(FilterToken opToken)
        {
            var token = Next();
            switch (token.Kind)
            {
                case FilterTokenKind.String:
                    return JsonValue.Create(token.Text);
                case FilterTokenKind.Word:
                    if (token.IsWord("true"))
                    {
                        return JsonValue.Create(true);
                    }

                    if (token.IsWord("false"))
                    {
                        return JsonValue.Create(false);
                    }

                    if (token.IsWord("null"))
                    {
                        return null;
                    }

                    if (NumberPattern().IsMatch(token.Text))
                    {
                        return ParseNumber(token);
                    }

                    throw Error($"{token.Describe()} is not a valid value; strings must be in double quotes", token.Position);
                default:
                    throw Error($"expected a value after '{opToken.Text}' but found {token.Describe()}", token.Position);
            }
        }

        private static JsonValue ParseNumber(FilterToken token)
        {
            var text = token.Text;
            var integral = text.AsSpan().IndexOfAny('.', 'e', 'E') < 0;
            if (integral && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            {
                return JsonValue.Create(whole);
            }

            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            throw Error($"the number {token.Describe()} is out of range", token.Position);
        }

        private static AttributePath ParsePath(string text, int position)
        {
            if (!AttributePath.TryParse(text, out var path, out _))
            {
                throw Error($"'{(text.Length > 60 ? text[..60] + "…" : text)}' is not a valid attribute path", position);
            }

            return path;
        }

        private static bool IsOperatorWord(FilterToken token) =>
            token.Kind == FilterTokenKind.Word && (token.IsWord("pr") || TryParseOperator(token.Text, out _));

        private static void CheckDepth(int depth, FilterToken at)
        {
            if (depth > MaxDepth)
            {
                throw Error($"the filter is nested more than {MaxDepth} levels deep", at.Position);
            }
        }
    }
}
