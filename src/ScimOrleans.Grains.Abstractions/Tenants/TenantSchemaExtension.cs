namespace ScimOrleans.Grains.Abstractions.Tenants;

/// <summary>
/// A schema extension a tenant registered through the admin API, attached to one resource type.
/// <see cref="DefinitionJson"/> is its RFC 7643 §7 representation, validated when it was registered.
/// </summary>
/// <param name="ResourceType"><c>User</c> or <c>Group</c>.</param>
/// <param name="Required">Whether every resource of that type must carry the extension (<c>schemaExtensions.required</c>).</param>
[GenerateSerializer, Immutable]
public sealed record TenantSchemaExtension(
    [property: Id(0)] string Urn,
    [property: Id(1)] string ResourceType,
    [property: Id(2)] bool Required,
    [property: Id(3)] string DefinitionJson);
