namespace ScimOrleans.Protocol.Filtering;

/// <summary>A node of a parsed SCIM filter (RFC 7644 §3.4.2.2).</summary>
public abstract record FilterNode;
