using ScimOrleans.TestSupport;

// Classes marked [RequiresPostgres] are reported as skipped, with the reason, when no PostgreSQL can be had
// outside CI (see PostgresAwareTestFramework).
[assembly: TestFramework(PostgresAwareTestFramework.TypeName, PostgresAwareTestFramework.AssemblyName)]
