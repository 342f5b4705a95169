namespace ScimOrleans.Silo.Tests.Infrastructure;

/// <summary>
/// Marks a test class whose tests all need PostgreSQL although they carry plain <c>[Fact]</c>/<c>[Theory]</c>
/// attributes (the inherited end-to-end tests). <see cref="PostgresAwareTestFramework"/> reports them as skipped,
/// with <c>PostgresServer.SkipReason</c>, when no server can be had outside CI.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequiresPostgresAttribute : Attribute;
