namespace ScimOrleans.Protocol.Filtering;

internal enum FilterTokenKind
{
    Word,
    String,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    End,
}

/// <summary>One lexical token of a filter; <see cref="Position"/> is its 0-based offset in the filter text.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position)
{
    public bool IsWord(string keyword) =>
        Kind == FilterTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public string Describe() => Kind switch
    {
        FilterTokenKind.End => "the end of the filter",
        FilterTokenKind.String => "a string",
        _ => $"'{(Text.Length > 40 ? Text[..40] + "…" : Text)}'",
    };
}
