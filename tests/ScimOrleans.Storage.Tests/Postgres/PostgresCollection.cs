using ScimOrleans.TestSupport;

namespace ScimOrleans.Storage.Tests.Postgres;

/// <summary>
/// The PostgreSQL tests of this assembly share one server (started once, stopped at the end) and run one class at a
/// time; each class works in databases of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
