namespace ScimOrleans.Protocol.Patching;

/// <summary>The <c>op</c> of a PATCH operation (RFC 7644 §3.5.2), read case-insensitively.</summary>
internal enum PatchOperationKind
{
    Add,
    Replace,
    Remove,
}
