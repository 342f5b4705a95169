namespace ScimOrleans.Storage;

/// <summary>The SCIM resource types the store holds.</summary>
public enum ResourceKind
{
    User = 1,
    Group = 2,
}
