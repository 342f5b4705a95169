namespace ScimOrleans.Protocol.Schemas;

/// <summary>Attribute data types of RFC 7643 §2.3.</summary>
public enum AttributeType
{
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Binary,
    Reference,
    Complex,
}
