using System.Globalization;
using System.Text;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// dateTime attributes inside the JSON document are stored as text in the writer's normal form,
/// <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c> (UTC, trailing zero fractions dropped). That text does not sort by instant
/// (<c>…:00.5Z</c> sorts before <c>…:00Z</c>), so comparisons and sorting use a fixed-width, digits-only key instead:
/// <c>yyyyMMddHHmmss</c> followed by the fraction padded to seven digits. The SQL form uses only <c>substr</c>,
/// <c>length</c>, <c>replace</c>, <c>CASE</c> and <c>||</c>, which every supported engine has, and
/// <see cref="FromStoredText"/> computes the same key in memory, character for character.
/// </summary>
internal static class TimeKeys
{
    private const int FractionDigits = 7;

    /// <summary>The key of an instant (a filter literal): exact to 100 ns, the resolution of the stored text.</summary>
    public static string FromInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyyMMddHHmmssfffffff", CultureInfo.InvariantCulture);

    /// <summary>The SQL expression of the key of the text <paramref name="text"/> (NULL stays NULL).</summary>
    public static string Sql(string text) =>
        $"(CASE WHEN length({text}) >= 20 THEN " +
        $"replace(replace(replace(substr({text}, 1, 19), '-', ''), 'T', ''), ':', '') || " +
        $"substr((CASE WHEN substr({text}, 20, 1) = '.' AND length({text}) > 21 THEN substr({text}, 21, length({text}) - 21) ELSE '' END) || '0000000', 1, {FractionDigits}) " +
        $"ELSE {text} END)";

    /// <summary>What <see cref="Sql"/> computes for <paramref name="text"/>.</summary>
    public static string FromStoredText(string text)
    {
        if (text.Length < 20)
        {
            return text;
        }

        var head = new StringBuilder(text[..19]).Replace("-", "").Replace("T", "").Replace(":", "").ToString();
        var fraction = text[19] == '.' && text.Length > 21 ? text.Substring(20, text.Length - 21) : "";
        return head + (fraction + "0000000")[..FractionDigits];
    }
}
