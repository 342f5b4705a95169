using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ScimOrleans.LoadTest.Ceilings;

namespace ScimOrleans.LoadTest.Targets;

internal static class TargetFactory
{
    public static async Task<ILoadTarget> StartAsync(string name, LoadOptions options, CancellationToken cancellationToken) => name switch
    {
        "memory" => await CeilingTarget.StartAsync("memory", new MemoryCeilingStore(), null, options, cancellationToken),
        "durable" => await StartDurableAsync(options, cancellationToken),
        "embedded" => await EmbeddedTarget.StartAsync(options, cancellationToken),
        "cluster" => await EmbeddedTarget.StartClusterAsync(options, cancellationToken),
        "remote" => new RemoteTarget(new Uri(options.Url!, $"scim/v2/{options.Tenant}/"), options.Token),
        _ => throw new ArgumentException($"Unknown target '{name}'."),
    };

    private static async Task<ILoadTarget> StartDurableAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var postgres = await PostgresInstance.StartAsync(options.RelaxedPostgres);
        try
        {
            return await CeilingTarget.StartAsync("durable", new DurableCeilingStore(postgres.ConnectionString, postgres.Durability), postgres, options, cancellationToken);
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    public static Uri ListeningAddress(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}

internal sealed class RemoteTarget(Uri scimBase, string token) : ILoadTarget
{
    public string Name => "remote";

    public string Description => $"remote server at {ScimBase}";

    public Uri ScimBase { get; } = scimBase;

    public string Token { get; } = token;

    public bool InProcess => false;

    public bool SupportsBulk => true;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

internal sealed class CeilingTarget : ILoadTarget
{
    private readonly WebApplication app;
    private readonly ICeilingStore store;
    private readonly PostgresInstance? postgres;

    private CeilingTarget(string name, WebApplication app, ICeilingStore store, PostgresInstance? postgres, Uri scimBase, string token)
    {
        Name = name;
        this.app = app;
        this.store = store;
        this.postgres = postgres;
        ScimBase = scimBase;
        Token = token;
    }

    public string Name { get; }

    public string Description => store.Description;

    public Uri ScimBase { get; }

    public string Token { get; }

    public bool InProcess => true;

    public bool SupportsBulk => false;

    public static async Task<CeilingTarget> StartAsync(
        string name, ICeilingStore store, PostgresInstance? postgres, LoadOptions options, CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var app = CeilingApp.Build(store, "http://127.0.0.1:0", options.Token);
        await app.StartAsync(cancellationToken);
        var address = TargetFactory.ListeningAddress(app);
        return new CeilingTarget(name, app, store, postgres, new Uri(address, $"scim/v2/{options.Tenant}/"), options.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await store.DisposeAsync();
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
    }
}
