using ScimOrleans.TestSupport;

namespace ScimOrleans.Silo.Tests.Infrastructure;

/// <summary>
/// One server shared by the tests of a class; each test uses fresh resource names. The backend comes from the
/// concrete fixture: <see cref="SqliteServerFixture"/> or <see cref="PostgresServerFixture"/>.
/// </summary>
public abstract class ScimServerFixture(ScimBackend backend, PostgresServer? postgres) : IAsyncLifetime
{
    private ScimServer? server;

    public ScimBackend Backend => backend;

    public ScimServer Server =>
        server ?? throw new InvalidOperationException(PostgresServer.SkipReason ?? "The server is not started.");

    /// <summary>More configuration for the server, e.g. <c>"--Scim:MaxMembersReturned", "3"</c>.</summary>
    protected virtual string[] ExtraArguments => [];

    public async Task InitializeAsync()
    {
        if (backend == ScimBackend.Postgres && PostgresServer.SkipReason is not null)
        {
            return; // every test of the class is reported as skipped (RequiresPostgresAttribute)
        }

        server = await ScimServer.StartAsync(backend, postgres, ExtraArguments);
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

/// <summary>A default-configured server in embedded mode on SQLite.</summary>
public sealed class SqliteServerFixture() : ScimServerFixture(ScimBackend.Sqlite, null);

/// <summary>
/// A default-configured single-silo cluster-mode server on a fresh database of the shared PostgreSQL server (a
/// collection fixture: the test class must be in <see cref="PostgresCollection"/>).
/// </summary>
public sealed class PostgresServerFixture(PostgresServer postgres) : ScimServerFixture(ScimBackend.Postgres, postgres);
