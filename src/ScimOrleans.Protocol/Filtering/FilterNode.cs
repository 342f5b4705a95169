namespace ScimOrleans.Protocol.Filtering;

/// <summary>A node of a parsed SCIM filter (RFC 7644 §3.4.2.2).</summary>
public abstract record FilterNode
{
    /// <summary>The filter in RFC 7644 syntax; parsing the text gives back an equal tree.</summary>
    public sealed override string ToString() => FilterFormatter.Format(this);
}
