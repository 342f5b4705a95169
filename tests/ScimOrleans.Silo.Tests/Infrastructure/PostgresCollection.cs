using ScimOrleans.TestSupport;

namespace ScimOrleans.Silo.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL variants of the end-to-end tests share one server (started once per test run, stopped at the end)
/// and run one class at a time; each class's host works in a database of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
