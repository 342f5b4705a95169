using System.Collections.Concurrent;
using Orleans.Placement;

namespace ScimOrleans.Cluster.Tests;

/// <summary>Persistent state of <see cref="ClusterProbeGrain"/>.</summary>
[GenerateSerializer]
public sealed class ClusterProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

/// <summary>What a probe saw, and on which silo it ran.</summary>
[GenerateSerializer]
public sealed record ClusterProbeReply([property: Id(0)] string? Value, [property: Id(1)] string? ETag, [property: Id(2)] string Silo);

/// <summary>A grain for cluster tests: persistent state, a reminder, and where it is active.</summary>
public interface IClusterProbeGrain : IGrainWithStringKey
{
    Task<ClusterProbeReply> Get();

    Task<ClusterProbeReply> Set(string value);

    Task Deactivate();

    Task StartReminder(string name, TimeSpan period);

    Task StopReminder(string name);
}

/// <summary>Activates on the silo that calls it first, so a test decides where it lives.</summary>
[PreferLocalPlacement]
public sealed class ClusterProbeGrain(
    [PersistentState("cluster-probe", ClusterProbeGrain.StorageName)] IPersistentState<ClusterProbeState> state)
    : Grain, IClusterProbeGrain, IRemindable
{
    public const string StorageName = "cluster-store";

    /// <summary>Reminder ticks received, by "grain key/reminder name" (all silos of a test run in this process).</summary>
    public static ConcurrentDictionary<string, int> Ticks { get; } = new();

    public Task<ClusterProbeReply> Get() => Task.FromResult(Reply());

    public async Task<ClusterProbeReply> Set(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
        return Reply();
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task StartReminder(string name, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, TimeSpan.FromMilliseconds(200), period);

    public async Task StopReminder(string name)
    {
        var reminder = await this.GetReminder(name);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Ticks.AddOrUpdate($"{this.GetPrimaryKeyString()}/{reminderName}", 1, static (_, count) => count + 1);
        return Task.CompletedTask;
    }

    private ClusterProbeReply Reply() => new(state.State.Value, state.Etag, RuntimeIdentity);
}
