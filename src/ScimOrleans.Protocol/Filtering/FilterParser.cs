namespace ScimOrleans.Protocol.Filtering;

/// <summary>Parses the full RFC 7644 §3.4.2.2 filter grammar. Never throws anything but <see cref="Errors.ScimException"/>.</summary>
public static class FilterParser
{
    /// <summary>Parses <paramref name="text"/>; throws <see cref="Errors.ScimException"/> (400 invalidFilter) on any error.</summary>
    public static FilterNode Parse(string text) => throw new NotImplementedException();
}
