using System.ComponentModel;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ScimOrleans.TestSupport;

/// <summary>
/// xunit's own framework, except that when no PostgreSQL server can be had (<see cref="PostgresServer.SkipReason"/>)
/// every test of a class marked <see cref="RequiresPostgresAttribute"/> is discovered as one skipped test carrying
/// the reason. xunit 2 cannot skip a test once it runs, and the contract or end-to-end tests such a class inherits carry plain
/// <c>[Fact]</c>/<c>[Theory]</c> attributes, so skipping has to happen at discovery. Under <c>CI=true</c> nothing is
/// skipped (SkipReason is null there): the missing server then fails the run. A test assembly opts in with
/// <c>[assembly: TestFramework(PostgresAwareTestFramework.TypeName, PostgresAwareTestFramework.AssemblyName)]</c>.
/// </summary>
public sealed class PostgresAwareTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    public const string TypeName = "ScimOrleans.TestSupport.PostgresAwareTestFramework";
    public const string AssemblyName = "ScimOrleans.TestSupport";

    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForMethod(
            ITestMethod testMethod, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (PostgresServer.SkipReason is null
                || !testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any()
                || !testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).Any())
            {
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            }

            var skipped = new PostgresSkippedTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}

/// <summary>A test (a whole theory counts as one) reported as skipped because PostgreSQL is unavailable.</summary>
public sealed class PostgresSkippedTestCase : XunitTestCase
{
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public PostgresSkippedTestCase()
    {
    }

    public PostgresSkippedTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay methodDisplay, TestMethodDisplayOptions methodDisplayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, methodDisplay, methodDisplayOptions, testMethod)
    {
    }

    protected override string GetSkipReason(IAttributeInfo factAttribute) =>
        PostgresServer.SkipReason ?? "PostgreSQL is not available.";
}
