namespace ScimOrleans.LoadTest.Ceilings;

/// <summary><c>scim-load ceiling memory|durable</c>: serves a ceiling app in the foreground until Ctrl+C.</summary>
internal static class CeilingCommand
{
    public static async Task<int> RunAsync(string kind, LoadOptions options, CancellationToken cancellationToken)
    {
        var urls = options.CeilingUrls is { Length: > 0 } given ? given : kind == "memory" ? "http://127.0.0.1:5100" : "http://127.0.0.1:5101";
        await using var postgres = kind == "durable" ? await PostgresInstance.StartAsync(options.RelaxedPostgres) : null;
        ICeilingStore store = kind switch
        {
            "memory" => new MemoryCeilingStore(),
            "durable" => new DurableCeilingStore(postgres!.ConnectionString, postgres.Durability),
            _ => throw new ArgumentException($"Unknown ceiling '{kind}'; use memory or durable."),
        };
        await using (store)
        {
            await store.InitializeAsync(cancellationToken);
            await using var app = CeilingApp.Build(store, urls, options.Token);
            await app.StartAsync(cancellationToken);
            Console.WriteLine($"{store.Description} listening on {urls}; SCIM base {urls}/scim/v2/{options.Tenant}, token '{options.Token}'. Ctrl+C stops.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            await app.StopAsync(CancellationToken.None);
        }

        return 0;
    }
}
