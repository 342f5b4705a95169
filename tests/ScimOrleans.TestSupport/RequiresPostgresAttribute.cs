namespace ScimOrleans.TestSupport;

/// <summary>
/// Marks a test class whose tests all need PostgreSQL although they carry plain <c>[Fact]</c>/<c>[Theory]</c>
/// attributes (inherited contract or end-to-end tests). <see cref="PostgresAwareTestFramework"/> reports them as skipped when no
/// server can be had, as <c>PostgresFact</c> does for single tests.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RequiresPostgresAttribute : Attribute;
