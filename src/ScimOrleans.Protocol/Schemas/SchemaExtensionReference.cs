namespace ScimOrleans.Protocol.Schemas;

/// <summary>An extension a resource type carries (<c>schemaExtensions</c> of RFC 7643 §6).</summary>
public sealed record SchemaExtensionReference(string Schema, bool Required);
