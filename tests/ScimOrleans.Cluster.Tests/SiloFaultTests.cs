using System.Diagnostics;
using ScimOrleans.Cluster.Tests.Processes;
using ScimOrleans.Cluster.Tests.Workload;
using ScimOrleans.TestSupport;
using Xunit.Abstractions;

namespace ScimOrleans.Cluster.Tests;

/// <summary>
/// Fault tests on real silo processes and a real PostgreSQL: a silo crashes (SIGKILL) in the middle of provisioning
/// through every silo; a silo joins under load. Afterwards the cluster must hold exactly what it acknowledged.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloFaultTests(PostgresServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(150);

    [PostgresFact]
    public async Task Provisioning_through_all_silos_loses_and_duplicates_nothing_when_one_silo_is_killed()
    {
        await using var cluster = new ProcessCluster(await server.CreateDatabaseAsync());
        var clock = Stopwatch.StartNew();
        var silos = await cluster.StartSilosAsync(3);
        output.WriteLine($"3 silos ready after {clock.Elapsed.TotalSeconds:F1}s");
        var victim = silos[1];

        // Requests keep going to all three silos, the dead one included: a client (or a load balancer that has not
        // noticed yet) gets refused connections and moves on.
        using var http = new ClusterHttp(() => [.. silos.Select(s => s.HttpAddress)], ProcessCluster.Tenant, ProcessCluster.TenantToken);
        var ledger = new ProvisioningLedger();
        var workload = new ProvisioningWorkload(http, ledger, "kill");
        await workload.CreateGroupsAsync(6);

        const int workers = 12;
        const int usersPerWorker = 20;
        var run = Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => workload.RunWorkerAsync(w, usersPerWorker))));
        var killAfter = workers * usersPerWorker / 3;
        while (ledger.Users.Count(u => u.Id is not null) < killAfter && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        Assert.False(run.IsCompleted, "The kill must land while provisioning is under way.");
        var servedByVictim = http.Served.GetValueOrDefault(victim.HttpAddress);
        victim.Kill();
        output.WriteLine($"Killed {victim.Name} at {clock.Elapsed.TotalSeconds:F1}s after it served {servedByVictim} requests; {ledger.Users.Count(u => u.Id is not null)} users created so far");

        await run.WaitAsync(RunLimit);
        output.WriteLine($"Provisioning done at {clock.Elapsed.TotalSeconds:F1}s; {http.FailedAttempts} failed attempts; {ledger.Summary()}");
        Assert.True(servedByVictim > 0, "The killed silo should have been serving requests.");

        // The survivors declare the victim dead in the membership table.
        Assert.True(await PostgresSilos.EventuallyAsync(
            async () => await cluster.ScalarAsync(
                $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{cluster.ClusterId}' AND Port = {victim.SiloPort} AND Status = 6") == 1,
            TimeSpan.FromSeconds(60)), $"The killed silo should be declared dead.\n{cluster.Logs()}");

        using var survivors = new ClusterHttp(() => [silos[0].HttpAddress, silos[2].HttpAddress], ProcessCluster.Tenant, ProcessCluster.TenantToken);
        await LedgerVerifier.VerifyAsync(survivors, ledger, cluster);
        await LedgerVerifier.VerifyReplaysAreHarmlessAsync(survivors, ledger, count: 12);
        output.WriteLine($"Verified at {clock.Elapsed.TotalSeconds:F1}s");
    }

    [PostgresFact]
    public async Task A_silo_added_under_load_takes_requests_and_activations_and_a_silo_stopped_under_load_loses_nothing()
    {
        await using var cluster = new ProcessCluster(await server.CreateDatabaseAsync());
        var clock = Stopwatch.StartNew();
        var original = await cluster.StartSilosAsync(2);
        var endpoints = new List<Uri>(original.Select(s => s.HttpAddress));
        var gate = new Lock();
        IReadOnlyList<Uri> Current()
        {
            lock (gate)
            {
                return [.. endpoints];
            }
        }

        using var http = new ClusterHttp(Current, ProcessCluster.Tenant, ProcessCluster.TenantToken);
        var ledger = new ProvisioningLedger();
        var workload = new ProvisioningWorkload(http, ledger, "join");
        await workload.CreateGroupsAsync(4);

        // Workers provision until told to stop (at the latest after two minutes), so the load outlasts the join.
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        const int workers = 8;
        var run = Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => workload.RunWorkerAsync(w, 10_000, stop.Token))));
        while (ledger.Users.Count(u => u.Id is not null) < 40 && !run.IsCompleted)
        {
            await Task.Delay(20);
        }

        // The new silo joins while the load runs; once ready it is put into rotation, as a load balancer would.
        var joiner = cluster.StartSilo();
        await joiner.WaitReadyAsync(ProcessCluster.StartTimeout);
        output.WriteLine($"{joiner.Name} ready at {clock.Elapsed.TotalSeconds:F1}s with {ledger.Users.Count} users under way");
        Assert.False(run.IsCompleted, "The load must still be running when the silo joins.");
        lock (gate)
        {
            endpoints.Add(joiner.HttpAddress);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (http.Served.GetValueOrDefault(joiner.HttpAddress) < 60 && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            await Task.Delay(50);
        }

        var servedByJoiner = http.Served.GetValueOrDefault(joiner.HttpAddress);
        Assert.True(servedByJoiner > 0, "The new silo should serve requests.");

        // Grain activations on the new silo, as the cluster's management grain reports them.
        using (var client = await cluster.ConnectClientAsync())
        {
            var management = client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
            var hosts = await management.GetDetailedHosts(onlyActive: true);
            Assert.Equal(3, hosts.Length);
            var joined = hosts.Single(h => h.SiloAddress.Endpoint.Port == joiner.SiloPort).SiloAddress;
            var statistics = await management.GetSimpleGrainStatistics([joined]);
            var resourceActivations = statistics
                .Where(s => s.GrainType.Contains("UserGrain", StringComparison.Ordinal) || s.GrainType.Contains("GroupGrain", StringComparison.Ordinal))
                .Sum(s => s.ActivationCount);
            output.WriteLine($"{joiner.Name} served {servedByJoiner} requests and hosts {resourceActivations} user/group activations: " +
                string.Join(", ", statistics.Select(s => $"{s.GrainType}={s.ActivationCount}")));
            Assert.True(resourceActivations > 0, "The new silo should take user/group grain activations.");
        }

        // Scale in under the same load: an original silo gets SIGTERM (it stays in the client's rotation, as in a
        // load balancer that has not noticed yet), drains, hands its grains over and leaves.
        Assert.False(run.IsCompleted, "The load must still be running when a silo is removed.");
        var leaver = original[0];
        var leaving = leaver.StopGracefullyAsync(TimeSpan.FromSeconds(30));
        var removedAt = ledger.Users.Count;
        while (ledger.Users.Count < removedAt + 40 && !run.IsCompleted)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, await leaving);
        await stop.CancelAsync();
        await run.WaitAsync(RunLimit);
        output.WriteLine($"Load stopped at {clock.Elapsed.TotalSeconds:F1}s; {http.FailedAttempts} failed attempts; {ledger.Summary()}");
        Assert.Equal(1, await cluster.ScalarAsync(
            $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{cluster.ClusterId}' AND Port = {leaver.SiloPort} AND Status = 6"));

        using var remaining = new ClusterHttp(() => [original[1].HttpAddress, joiner.HttpAddress], ProcessCluster.Tenant, ProcessCluster.TenantToken);
        await LedgerVerifier.VerifyAsync(remaining, ledger, cluster);
    }
}
