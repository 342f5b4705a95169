namespace ScimOrleans.Silo.Endpoints;

/// <summary>
/// The order a bulk request runs in. Operations run in request order, except that an operation referring to a bulkId
/// runs after the POST defining it, even when that POST comes later in the request. Consecutive POSTs whose
/// references are resolved by earlier batches form one <see cref="Batches"/> entry and run concurrently; every other
/// operation (PUT, PATCH, DELETE) is a batch of its own, so whatever could observe another operation's effect sees the
/// request's order.
/// </summary>
/// <remarks>
/// Circular references (A's data names bulkId B and B's names A, or a POST naming its own bulkId) are not resolved:
/// every operation on the cycle, and every operation depending on one, fails with 409 — RFC 7644 §3.7.1 lets a
/// service provider stop there.
/// </remarks>
internal sealed record BulkPlan(IReadOnlyList<IReadOnlyList<int>> Batches, IReadOnlySet<int> Circular, IReadOnlyDictionary<string, int> Definitions)
{
    public static BulkPlan Create(IReadOnlyList<BulkOperationRequest> operations)
    {
        var definitions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            if (operation.Error is null && operation.BulkId is { } bulkId)
            {
                definitions[bulkId] = operation.Index;
            }
        }

        // dependsOn[i]: the operations defining the bulkIds operation i refers to.
        var dependsOn = operations
            .Select(o => o.Error is null
                ? o.References.Where(definitions.ContainsKey).Select(r => definitions[r]).Distinct().ToList()
                : [])
            .ToList();

        // Kahn's algorithm, always taking the lowest-numbered ready operation: request order wherever references allow.
        // Whatever never becomes ready is on a cycle or waits for one.
        var waiting = new int[operations.Count];
        var dependents = Enumerable.Range(0, operations.Count).Select(_ => new List<int>()).ToList();
        for (var i = 0; i < operations.Count; i++)
        {
            foreach (var dependency in dependsOn[i])
            {
                waiting[i]++;
                dependents[dependency].Add(i);
            }
        }

        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < operations.Count; i++)
        {
            if (waiting[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }

        var order = new List<int>(operations.Count);
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(next);
            foreach (var dependent in dependents[next])
            {
                if (--waiting[dependent] == 0)
                {
                    ready.Enqueue(dependent, dependent);
                }
            }
        }

        var circular = Enumerable.Range(0, operations.Count).Except(order).ToHashSet();
        order.AddRange(circular.Order());

        var batches = new List<IReadOnlyList<int>>();
        var current = new List<int>();
        foreach (var index in order)
        {
            var operation = operations[index];
            if (!operation.IsCreate || operation.Error is not null || circular.Contains(index))
            {
                Close();
                batches.Add([index]);
                continue;
            }

            if (dependsOn[index].Any(current.Contains))
            {
                Close();
            }

            current.Add(index);
        }

        Close();
        return new BulkPlan(batches, circular, definitions);

        void Close()
        {
            if (current.Count > 0)
            {
                batches.Add(current);
                current = [];
            }
        }
    }
}
