using ScimOrleans.Protocol.Paths;
using ScimOrleans.Protocol.Schemas;

namespace ScimOrleans.Protocol.Resources;

/// <summary>Resolves member names of request bodies and path-less PATCH values to schema attributes.</summary>
internal static class BodyKeys
{
    /// <summary>
    /// The schema a member name denotes when it is a schema URN itself (the nested extension object, or a core
    /// object some clients nest); null otherwise.
    /// </summary>
    public static SchemaDefinition? AsSchema(ResourceSchema schema, string key) =>
        key.Contains(':', StringComparison.Ordinal) ? schema.FindSchema(key) : null;

    /// <summary>
    /// Resolves a name such as <c>userName</c>, <c>name.givenName</c> or <c>urn:…:User:department</c>. Inside an
    /// extension object (<paramref name="within"/>), unqualified names belong to that extension.
    /// </summary>
    public static ResolvedAttribute? Resolve(ResourceSchema schema, string key, SchemaDefinition? within) =>
        ResolveWithPath(schema, key, within).Resolved;

    /// <summary><see cref="Resolve"/> with the attribute's canonical path (<see cref="ResourceWriter.PathOf"/>), both remembered per schema.</summary>
    public static (ResolvedAttribute? Resolved, string Path) ResolveWithPath(ResourceSchema schema, string key, SchemaDefinition? within) =>
        schema.BodyKeys.GetOrResolve(key, within, static (schema, key, within) =>
        {
            var resolved = ResolveUncached(schema, key, within);
            return (resolved, resolved is null ? key : ResourceWriter.PathOf(resolved));
        }, schema);

    private static ResolvedAttribute? ResolveUncached(ResourceSchema schema, string key, SchemaDefinition? within)
    {
        if (!AttributePath.TryParse(key, out var path, out _))
        {
            return null;
        }

        if (within is not null && path.SchemaUrn is null)
        {
            path = path with { SchemaUrn = within.Id };
        }

        return schema.Resolve(path);
    }
}
