using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ScimOrleans.Grains.Abstractions.Resources;
using ScimOrleans.Grains.Resources;
using ScimOrleans.Protocol.Errors;
using ScimOrleans.Protocol.Schemas;
using ScimOrleans.Silo.Http;
using ScimOrleans.Storage;

namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// <c>POST /Bulk</c> (RFC 7644 §3.7). Each operation is executed by the same grain call the single endpoint makes
/// (<c>Create</c>, <c>Replace</c>, <c>Patch</c>, <c>Delete</c> with <c>version</c> as If-Match), so validation,
/// dialects, membership policy, events and uniqueness are exactly those of single requests; there is no second write
/// path. Each operation is its own transaction: a failed one does not undo the others.
/// </summary>
/// <remarks>
/// Order and concurrency are those of <see cref="BulkPlan"/>. <c>failOnErrors</c>: once that many operations have
/// failed no further operation starts; operations already running in the same concurrent batch finish and are
/// reported. Operations that never ran are left out of the response.
/// </remarks>
internal sealed class BulkProcessor(IGrainFactory grains, IOptions<ScimProtocolOptions> options, ILogger<BulkProcessor> logger)
{
    public async Task<JsonObject> RunAsync(HttpContext context, string tenant)
    {
        var limits = options.Value;
        var body = await RequestBodies.ReadAsync(
            context,
            limits.BulkMaxPayloadBytes,
            $"The bulk request exceeds maxPayloadSize ({limits.BulkMaxPayloadBytes} bytes).");
        var (operations, failOnErrors) = BulkRequestReader.Read(body, limits.BulkMaxOperations);
        var plan = BulkPlan.Create(operations);
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        var created = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var results = new ConcurrentDictionary<int, BulkOperationResult>();
        var errors = 0;

        foreach (var batch in plan.Batches)
        {
            if (failOnErrors is { } limit && Volatile.Read(ref errors) >= limit)
            {
                break;
            }

            await Parallel.ForEachAsync(
                batch,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, limits.BulkParallelism), CancellationToken = context.RequestAborted },
                async (index, _) =>
                {
                    if (failOnErrors is { } stopAt && Volatile.Read(ref errors) >= stopAt)
                    {
                        return;
                    }

                    var result = await RunOperationAsync(operations[index], plan, created, tenant, tenantBase);
                    results[index] = result;
                    if (result.Error is not null)
                    {
                        Interlocked.Increment(ref errors);
                    }
                });
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.BulkResponse),
            ["Operations"] = new JsonArray([.. results.OrderBy(r => r.Key).Select(r => (JsonNode)r.Value.ToJson())]),
        };
    }

    private async Task<BulkOperationResult> RunOperationAsync(
        BulkOperationRequest operation, BulkPlan plan, ConcurrentDictionary<string, string> created, string tenant, string tenantBase)
    {
        if (operation.Error is { } invalid)
        {
            return Failure(operation, null, invalid);
        }

        string? location = null;
        try
        {
            if (plan.Circular.Contains(operation.Index))
            {
                throw new ScimException(409, null, "The operation is part of, or depends on, a circular bulkId reference, which this server does not resolve.");
            }

            string Resolve(string bulkId) => created.TryGetValue(bulkId, out var id)
                ? id
                : plan.Definitions.ContainsKey(bulkId)
                    ? throw new ScimException(409, null, $"bulkId '{bulkId}' could not be resolved: the operation defining it failed or did not run.")
                    : throw ScimException.InvalidValue($"bulkId '{bulkId}' is not defined by any POST of this request.");

            var data = operation.Data is null ? null : operation.References.Count == 0 ? operation.Data : BulkReferences.Replace(operation.Data, Resolve);
            if (operation.IsCreate)
            {
                var newId = Guid.NewGuid().ToString("D");
                var result = await Grain(tenant, newId, operation.Kind).Create(data!.ToJsonString());
                if (result.Resource is { } resource)
                {
                    if (operation.BulkId is not null)
                    {
                        created[operation.BulkId] = resource.Id;
                    }

                    return Success(operation, ScimUrls.Resource(tenantBase, operation.Kind, resource.Id), resource.Version, 201);
                }

                return Failure(operation, null, ToException(result.Error!));
            }

            var targetId = BulkReferences.ResolveId(operation.TargetId!, Resolve);
            location = ScimUrls.Resource(tenantBase, operation.Kind, targetId);
            var grain = Grain(tenant, targetId, operation.Kind);
            var outcome = operation.Method switch
            {
                "PUT" => await grain.Replace(data!.ToJsonString(), operation.Version),
                "PATCH" => await grain.Patch(data!.ToJsonString(), operation.Version),
                _ => await grain.Delete(operation.Version),
            };

            if (outcome.Error is { } error)
            {
                return Failure(operation, location, ToException(error));
            }

            // Status codes of the single endpoints: a group PATCH answers 204, a DELETE 204, the rest 200.
            var status = operation.Method == "DELETE" || (operation.Method == "PATCH" && operation.Kind == ResourceKind.Group) ? 204 : 200;
            return Success(operation, location, outcome.Resource?.Version, status);
        }
        catch (ScimException error)
        {
            return Failure(operation, location, error);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "Bulk operation {Index} ({Method} {Path}) of tenant {Tenant} failed", operation.Index, operation.Method, operation.Path, tenant);
            return Failure(operation, location, new ScimException(500, null, "Internal server error."));
        }
    }

    private IResourceGrain Grain(string tenant, string id, ResourceKind kind) =>
        kind == ResourceKind.User
            ? grains.GetGrain<IUserGrain>(ResourceKeys.User(tenant, id))
            : grains.GetGrain<IGroupGrain>(ResourceKeys.Group(tenant, id));

    private static BulkOperationResult Success(BulkOperationRequest operation, string location, long? version, int status) =>
        new(operation.Index, operation.Method, operation.BulkId, location, version is { } v ? EntityTags.ForVersion(v) : null, status, null);

    private static BulkOperationResult Failure(BulkOperationRequest operation, string? location, ScimException error) =>
        new(operation.Index, operation.Method.Length > 0 ? operation.Method : "?", operation.BulkId, location, null, error.Status, error);

    private static ScimException ToException(ResourceError error) => new(error.Status, error.ScimType, error.Detail);
}
