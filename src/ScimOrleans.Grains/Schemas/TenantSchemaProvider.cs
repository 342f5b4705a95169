using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Abstractions.Tenants;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Storage;

namespace ScimOrleans.Grains.Schemas;

/// <summary>
/// Reads the tenant's extensions from its <see cref="ITenantGrain"/> and keeps the built schemas for
/// <see cref="Lifetime"/> on this silo, so a request costs no grain call for its schema. A change made through this
/// silo's admin API is seen at once; through another silo, within <see cref="Lifetime"/>.
/// </summary>
public sealed class TenantSchemaProvider(IGrainFactory grains, ILogger<TenantSchemaProvider> logger, TimeProvider? time = null) : ITenantSchemaProvider
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public async ValueTask<ResourceSchema> GetAsync(string tenantId, ResourceKind kind)
    {
        var now = clock.GetUtcNow();
        if (!entries.TryGetValue(tenantId, out var entry) || entry.Expires <= now)
        {
            var extensions = await grains.GetTenantGrain(tenantId).GetSchemaExtensions() ?? [];
            entry = new Entry(Build(ScimSchemas.UserResource, "User", extensions), Build(ScimSchemas.GroupResource, "Group", extensions), now + Lifetime);
            entries[tenantId] = entry;
        }

        return kind == ResourceKind.User ? entry.User : entry.Group;
    }

    public void Invalidate(string tenantId) => entries.TryRemove(tenantId, out _);

    private ResourceSchema Build(ResourceSchema builtIn, string resourceType, IReadOnlyList<TenantSchemaExtension> extensions)
    {
        var attached = new List<(SchemaDefinition, bool)>();
        foreach (var extension in extensions.Where(e => string.Equals(e.ResourceType, resourceType, StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                attached.Add((SchemaDefinitionReader.Read(extension.Urn, JsonNode.Parse(extension.DefinitionJson)!.AsObject()), extension.Required));
            }
            catch (Exception error) when (error is ScimException or System.Text.Json.JsonException or InvalidOperationException)
            {
                // Validated when registered; a definition this version cannot read is skipped rather than failing every request.
                logger.LogWarning(error, "Skipping unreadable schema extension {Urn}", extension.Urn);
            }
        }

        return builtIn.WithExtensions(attached);
    }

    private sealed record Entry(ResourceSchema User, ResourceSchema Group, DateTimeOffset Expires);
}
