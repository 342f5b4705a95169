using Xunit;

namespace ScimOrleans.TestSupport;

/// <summary>
/// A fact that needs PostgreSQL (see <see cref="PostgresServer"/>). When no server can be had it is reported as
/// skipped, with the reason; under <c>CI=true</c> it runs anyway, so that the missing server fails the build.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
