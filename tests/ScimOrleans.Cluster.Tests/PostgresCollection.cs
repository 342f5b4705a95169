using ScimOrleans.TestSupport;

namespace ScimOrleans.Cluster.Tests;

/// <summary>All PostgreSQL tests of this assembly share one server; each test creates its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
