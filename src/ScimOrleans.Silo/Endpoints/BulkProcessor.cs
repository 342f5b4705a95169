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
/// <c>POST /Bulk</c> (RFC 7644 §3.7). PUT, PATCH and DELETE are executed by the same grain call the single endpoint
/// makes (<c>Replace</c>, <c>Patch</c>, <c>Delete</c> with <c>version</c> as If-Match); independent creates go to
/// <see cref="IBulkCreateGrain"/> in chunks, which validates each exactly as a single POST is validated
/// (one create path) but lets the chunk share store transactions. Validation, dialects, membership policy, events and
/// uniqueness are those of single requests, and each operation is its own atomic commit: a failed one does not undo
/// the others.
/// </summary>
/// <remarks>
/// Order and concurrency are those of <see cref="BulkPlan"/>; a batch of independent creates runs as chunks of
/// <c>Scim:BulkCreateChunkSize</c>, <c>Scim:BulkParallelism</c> chunks at a time. <c>failOnErrors</c>: once that many
/// operations have failed no further operation or chunk starts; those already running finish and are reported.
/// Operations that never ran are left out of the response.
/// </remarks>
internal sealed class BulkProcessor(IGrainFactory grains, IOptions<ScimProtocolOptions> options, ILogger<BulkProcessor> logger)
{
    public async Task<JsonObject> RunAsync(HttpContext context, string tenant)
    {
        var limits = options.Value;
        var body = await RequestBodies.ReadUtf8Async(
            context,
            limits.BulkMaxPayloadBytes,
            $"The bulk request exceeds maxPayloadSize ({limits.BulkMaxPayloadBytes} bytes).");
        var (operations, failOnErrors) = BulkRequestReader.Read(body, limits.BulkMaxOperations);
        var plan = BulkPlan.Create(operations);
        var tenantBase = ScimUrls.TenantBase(context, tenant);
        var state = new BulkRunState(operations, plan, failOnErrors, tenant, tenantBase, context.RequestAborted);
        foreach (var batch in plan.Batches)
        {
            if (state.ShouldStop)
            {
                break;
            }

            if (batch.All(index => IsPlainCreate(operations[index], plan)))
            {
                await RunCreatesAsync(batch, state);
                continue;
            }

            await RunConcurrentlyAsync(batch, state, async index => state.Report(await RunOperationAsync(operations[index], state)));
        }

        return new JsonObject
        {
            ["schemas"] = new JsonArray(ScimUris.BulkResponse),
            ["Operations"] = new JsonArray([.. state.Results.OrderBy(r => r.Key).Select(r => (JsonNode)r.Value.ToJson())]),
        };
    }

    /// <summary>An operation the create chunks can take: a well-formed POST on no reference cycle.</summary>
    private static bool IsPlainCreate(BulkOperationRequest operation, BulkPlan plan) =>
        operation.IsCreate && operation.Error is null && !plan.Circular.Contains(operation.Index);

    /// <summary>Runs a batch of independent creates as chunks of one kind each, several chunks at a time.</summary>
    private async Task RunCreatesAsync(IReadOnlyList<int> batch, BulkRunState state)
    {
        var limits = options.Value;
        var ready = new List<(BulkOperationRequest Operation, NewResource Resource)>(batch.Count);
        foreach (var index in batch)
        {
            var operation = state.Operations[index];
            try
            {
                ready.Add((operation, new NewResource(Guid.NewGuid().ToString("D"), operation.ResolvedData(state.Resolve)!)));
            }
            catch (ScimException error)
            {
                state.Report(Failure(operation, null, error));
            }
        }

        var chunkSize = Math.Max(1, limits.BulkCreateChunkSize);
        var chunks = ready
            .GroupBy(item => item.Operation.Kind)
            .SelectMany(kind => kind.Chunk(chunkSize))
            .OrderBy(chunk => chunk[0].Operation.Index)
            .ToList();
        await RunConcurrentlyAsync(chunks, state, chunk => RunCreateChunkAsync(chunk, state));
    }

    /// <summary>
    /// Runs <paramref name="run"/> for each item, <c>Scim:BulkParallelism</c> at a time; once <c>failOnErrors</c> says
    /// stop, items not yet started are skipped.
    /// </summary>
    private Task RunConcurrentlyAsync<T>(IEnumerable<T> items, BulkRunState state, Func<T, Task> run) =>
        Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.BulkParallelism), CancellationToken = state.Aborted },
            async (item, _) =>
            {
                if (!state.ShouldStop)
                {
                    await run(item);
                }
            });

    private async Task RunCreateChunkAsync((BulkOperationRequest Operation, NewResource Resource)[] chunk, BulkRunState state)
    {
        var kind = chunk[0].Operation.Kind;
        var creator = grains.GetGrain<IBulkCreateGrain>(state.Tenant);
        var resources = chunk.Select(item => item.Resource).ToArray();
        IReadOnlyList<ResourceResult> results;
        try
        {
            results = kind == ResourceKind.User ? await creator.CreateUsers(resources) : await creator.CreateGroups(resources);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogError(error, "A chunk of {Count} bulk creates ({Kind}) of tenant {Tenant} failed", chunk.Length, kind, state.Tenant);
            foreach (var (operation, _) in chunk)
            {
                state.Report(Failure(operation, null, InternalError()));
            }

            return;
        }

        for (var i = 0; i < chunk.Length; i++)
        {
            var operation = chunk[i].Operation;
            if (results[i] is { Resource: { } resource })
            {
                if (operation.BulkId is not null)
                {
                    state.Created[operation.BulkId] = resource.Id;
                }

                state.Report(Success(operation, ScimUrls.Resource(state.TenantBase, kind, resource.Id), resource.Version, 201));
            }
            else
            {
                state.Report(Failure(operation, null, ToException(results[i].Error!)));
            }
        }
    }

    /// <summary>A PUT, PATCH or DELETE — or an operation that fails before it runs — through the resource's grain.</summary>
    private async Task<BulkOperationResult> RunOperationAsync(BulkOperationRequest operation, BulkRunState state)
    {
        if (operation.Error is { } invalid)
        {
            return Failure(operation, null, invalid);
        }

        string? location = null;
        try
        {
            if (state.Plan.Circular.Contains(operation.Index))
            {
                throw new ScimException(409, null, "The operation is part of, or depends on, a circular bulkId reference, which this server does not resolve.");
            }

            if (operation.IsCreate)
            {
                throw new InvalidOperationException("Creates run in chunks (RunCreatesAsync).");
            }

            var data = operation.ResolvedData(state.Resolve);
            var targetId = BulkReferences.ResolveId(operation.TargetId!, state.Resolve);
            location = ScimUrls.Resource(state.TenantBase, operation.Kind, targetId);
            var grain = Grain(state.Tenant, targetId, operation.Kind);
            var outcome = operation.Method switch
            {
                "PUT" => await grain.Replace(data!, operation.Version),
                "PATCH" => await grain.Patch(data!, operation.Version),
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
            logger.LogError(error, "Bulk operation {Index} ({Method} {Path}) of tenant {Tenant} failed", operation.Index, operation.Method, operation.Path, state.Tenant);
            return Failure(operation, location, InternalError());
        }
    }

    private IResourceGrain Grain(string tenant, string id, ResourceKind kind) =>
        kind == ResourceKind.User
            ? grains.GetUserGrain(tenant, id)
            : grains.GetGroupGrain(tenant, id);

    private static BulkOperationResult Success(BulkOperationRequest operation, string location, long? version, int status) =>
        new(operation.Index, operation.Method, operation.BulkId, location, version is { } v ? EntityTags.ForVersion(v) : null, status, null);

    private static BulkOperationResult Failure(BulkOperationRequest operation, string? location, ScimException error) =>
        new(operation.Index, operation.Method.Length > 0 ? operation.Method : "?", operation.BulkId, location, null, error.Status, error);

    private static ScimException InternalError() => new(500, null, "Internal server error.");

    private static ScimException ToException(ResourceError error) => new(error.Status, error.ScimType, error.Detail);
}
