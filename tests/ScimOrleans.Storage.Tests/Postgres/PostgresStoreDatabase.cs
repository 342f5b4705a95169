using Npgsql;
using ScimOrleans.Storage.Postgres;
using ScimOrleans.TestSupport;

namespace ScimOrleans.Storage.Tests.Postgres;

/// <summary>
/// A fresh, migrated database and a data source over it, shared by the tests of one class (a class fixture). Tests
/// keep out of each other's way by working in tenants of their own.
/// </summary>
public sealed class PostgresStoreDatabase(PostgresServer server) : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public NpgsqlDataSource DataSource =>
        _dataSource ?? throw new InvalidOperationException(PostgresServer.SkipReason ?? "The database is not created.");

    /// <summary>The connection string of the database.</summary>
    public string ConnectionString { get; private set; } = "";

    public PostgresServer Server => server;

    public async Task InitializeAsync()
    {
        if (PostgresServer.SkipReason is not null)
        {
            return; // every test of the class is reported as skipped (RequiresPostgresAttribute / PostgresFact)
        }

        ConnectionString = await server.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        await new PostgresScimStore(new PostgresStoreOptions(_dataSource)).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
