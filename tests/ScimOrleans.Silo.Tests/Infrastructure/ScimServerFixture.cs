namespace ScimOrleans.Silo.Tests.Infrastructure;

/// <summary>One server shared by the tests of a class; each test uses fresh resource names.</summary>
public sealed class ScimServerFixture : IAsyncLifetime
{
    public ScimServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ScimServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
