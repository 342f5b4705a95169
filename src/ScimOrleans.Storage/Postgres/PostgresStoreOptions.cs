using Npgsql;

namespace ScimOrleans.Storage.Postgres;

/// <summary>
/// Configuration of <see cref="PostgresScimStore"/>.
/// </summary>
/// <param name="DataSource">
/// The connection pool the store draws from. Build one per process (<c>NpgsqlDataSource.Create(connectionString)</c>)
/// and share it with everything else in the silo that talks to the same database; the store never disposes it.
/// <para>
/// Pool sizing: every silo can hold up to <c>Maximum Pool Size</c> connections (Npgsql's default is 100), and the
/// server refuses connections beyond <c>max_connections</c> (default 100, minus <c>superuser_reserved_connections</c>).
/// Keep <c>silos × Maximum Pool Size</c> (plus the Orleans AdoNet providers' own pools and any tooling) below that
/// limit: for example 4 silos × 20 connections against the default server. A commit holds one connection for a few
/// round trips, so a pool of 20 sustains thousands of commits per second; more connections than the server has cores
/// mostly adds contention. Beyond that, put PgBouncer (transaction pooling) in front: the store only uses
/// transaction-scoped advisory locks on its hot paths; <see cref="PostgresScimStore.MigrateAsync"/> takes a
/// session-scoped one, so run migrations over a direct (or session-pooled) connection. For the same reason leave
/// Npgsql's <c>Multiplexing</c> off.
/// </para>
/// </param>
public sealed record PostgresStoreOptions(NpgsqlDataSource DataSource)
{
    /// <summary>
    /// How many times a commit is attempted when PostgreSQL aborts it as a deadlock victim (SQLSTATE 40P01) or a
    /// serialization failure (40001). Such a commit wrote nothing, so running it again is safe. Deadlocks are possible
    /// because a commit locks its own row first and then the rows of the groups or members it touches, in an order
    /// that concurrent commits on other silos can reverse.
    /// </summary>
    public int MaxCommitAttempts { get; init; } = 5;

    /// <summary>
    /// The fewest events one feed read publishes (numbers) when more are waiting; a read asking for more publishes up
    /// to its own limit. Bounds the work, and the advisory lock hold time, of the first read after a bulk import.
    /// </summary>
    public int MinPublishBatch { get; init; } = 10_000;
}
