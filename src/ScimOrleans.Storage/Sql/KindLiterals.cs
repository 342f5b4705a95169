using System.Globalization;

namespace ScimOrleans.Storage.Sql;

/// <summary>
/// The stored <c>kind</c> values as SQL literals, for statements that name a kind in their text (so each keeps one
/// plan) rather than as a parameter. Both engines store <see cref="ResourceKind"/> as its integer.
/// </summary>
internal static class KindLiterals
{
    public static readonly string User = ((int)ResourceKind.User).ToString(CultureInfo.InvariantCulture);

    public static readonly string Group = ((int)ResourceKind.Group).ToString(CultureInfo.InvariantCulture);
}
