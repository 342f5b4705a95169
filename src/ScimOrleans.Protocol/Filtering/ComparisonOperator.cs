namespace ScimOrleans.Protocol.Filtering;

/// <summary>Attribute operators of RFC 7644 §3.4.2.2 (<c>pr</c> is <see cref="PresentNode"/>).</summary>
public enum ComparisonOperator
{
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}
