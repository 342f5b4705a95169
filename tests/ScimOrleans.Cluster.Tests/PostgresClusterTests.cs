using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using ScimOrleans.TestSupport;

namespace ScimOrleans.Cluster.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [PostgresFact]
    public async Task Two_silos_join_one_cluster_fire_reminders_and_hand_grain_state_over()
    {
        await using var silos = new PostgresSilos(await server.CreateDatabaseAsync());
        var clusterId = $"c-{Guid.NewGuid():N}";

        // Both silos start at once, as in a rolling deployment: both install the schema, both join.
        var started = await Task.WhenAll(silos.StartSiloAsync(clusterId), silos.StartSiloAsync(clusterId));
        var (siloA, siloB) = (started[0], started[1]);

        // Membership: each silo sees both as active, and the table says so.
        foreach (var silo in started)
        {
            var management = PostgresSilos.Grains(silo).GetGrain<IManagementGrain>(0);
            Assert.True(
                await PostgresSilos.EventuallyAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, Patience),
                "Both silos should see two active silos.");
        }

        Assert.Equal(2, await silos.ScalarAsync(
            $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 3"));

        // Reminders: registered in the table, fired, and removed again.
        var reminded = PostgresSilos.Grains(siloB).GetGrain<IClusterProbeGrain>("t1/u/reminded");
        await reminded.StartReminder("tick", TimeSpan.FromSeconds(1));
        Assert.Equal(1, await silos.ScalarAsync("SELECT count(*) FROM OrleansRemindersTable WHERE ReminderName = 'tick'"));
        Assert.True(
            await PostgresSilos.EventuallyAsync(
                () => Task.FromResult(ClusterProbeGrain.Ticks.TryGetValue("t1/u/reminded/tick", out var ticks) && ticks >= 2),
                Patience),
            "The reminder should fire (at least twice).");
        await reminded.StopReminder("tick");
        Assert.Equal(0, await silos.ScalarAsync("SELECT count(*) FROM OrleansRemindersTable"));

        // Grain state: written by an activation on silo A; A leaves; a new activation on B reads it from the database.
        const string key = "t1/u/alice";
        var written = await PostgresSilos.Grains(siloA).GetGrain<IClusterProbeGrain>(key).Set("written on A");
        Assert.Equal(PostgresSilos.SiloAddress(siloA), written.Silo);
        await silos.StopSiloAsync(siloA);

        Assert.Equal(1, await silos.ScalarAsync(
            $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 6"));
        var viaB = PostgresSilos.Grains(siloB).GetGrain<IClusterProbeGrain>(key);
        ClusterProbeReply? read = null;
        Assert.True(
            await PostgresSilos.EventuallyAsync(async () => (read = await viaB.Get()) is not null, Patience),
            "Once A has left, the grain should activate on B.");
        Assert.Equal(new ClusterProbeReply("written on A", "1", PostgresSilos.SiloAddress(siloB)), read);
        Assert.Equal("2", (await viaB.Set("written on B")).ETag);

        // Defunct-silo cleanup (normally after days): A's Dead row goes, B's Active row stays.
        var membership = siloB.Services.GetRequiredService<IMembershipTable>();
        await membership.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        Assert.Equal(1, await silos.ScalarAsync(
            $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}'"));
        Assert.Equal(1, await silos.ScalarAsync(
            $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 3"));
    }

    [PostgresFact]
    public async Task A_stale_activation_in_another_cluster_of_the_same_service_cannot_overwrite_newer_state()
    {
        // Two clusters, one ServiceId: the same grain is active twice, as during a split or a membership change.
        await using var silos = new PostgresSilos(await server.CreateDatabaseAsync());
        var started = await Task.WhenAll(
            silos.StartSiloAsync($"left-{Guid.NewGuid():N}"),
            silos.StartSiloAsync($"right-{Guid.NewGuid():N}"));
        var left = PostgresSilos.Grains(started[0]).GetGrain<IClusterProbeGrain>("t1/u/bob");
        var right = PostgresSilos.Grains(started[1]).GetGrain<IClusterProbeGrain>("t1/u/bob");
        await left.Get();
        await right.Get();

        await left.Set("left first");
        await Assert.ThrowsAsync<InconsistentStateException>(() => right.Set("right, never having seen left's row"));

        Assert.Equal("2", (await left.Set("left second")).ETag);
        Assert.Equal(1, await silos.ScalarAsync("SELECT count(*) FROM OrleansStorage"));
    }
}
