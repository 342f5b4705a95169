namespace ScimOrleans.Silo.Tests.Hosting;

/// <summary>What a probe grain holds in its persistent state.</summary>
[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }

    [Id(1)]
    public int Writes { get; set; }
}

/// <summary>A probe grain's view of its state and of the storage bookkeeping.</summary>
[GenerateSerializer]
public sealed record ProbeSnapshot(
    [property: Id(0)] string? Value,
    [property: Id(1)] int Writes,
    [property: Id(2)] bool RecordExists,
    [property: Id(3)] string? ETag);

/// <summary>A grain that exposes its persistent state so storage providers can be tested through Orleans.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task<ProbeSnapshot> Get();

    Task<ProbeSnapshot> Set(string value);

    Task<ProbeSnapshot> Clear();

    /// <summary>Re-reads the state from storage (e.g. after another activation wrote it).</summary>
    Task<ProbeSnapshot> Reload();

    Task Deactivate();
}

/// <summary>A second grain interface, implemented by a second grain class.</summary>
public interface IProbeTwinGrain : IProbeGrain
{
}

/// <summary>Base class of the probe grains: all behaviour, the state is injected by the subclass.</summary>
public abstract class ProbeGrainBase(IPersistentState<ProbeState> state) : Grain
{
    public const string StorageName = "probe-store";

    public Task<ProbeSnapshot> Get() => Task.FromResult(Snapshot());

    public async Task<ProbeSnapshot> Set(string value)
    {
        state.State.Value = value;
        state.State.Writes++;
        await state.WriteStateAsync();
        return Snapshot();
    }

    public async Task<ProbeSnapshot> Clear()
    {
        await state.ClearStateAsync();
        return Snapshot();
    }

    public async Task<ProbeSnapshot> Reload()
    {
        await state.ReadStateAsync();
        return Snapshot();
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private ProbeSnapshot Snapshot() => new(state.State.Value, state.State.Writes, state.RecordExists, state.Etag);
}

/// <summary>The probe grain.</summary>
public sealed class ProbeGrain([PersistentState("probe", ProbeGrainBase.StorageName)] IPersistentState<ProbeState> state)
    : ProbeGrainBase(state), IProbeGrain;

/// <summary>
/// A different grain class that (deliberately, to pin down the hazard) uses the same state name as
/// <see cref="ProbeGrain"/>.
/// </summary>
public sealed class ProbeTwinGrain([PersistentState("probe", ProbeGrainBase.StorageName)] IPersistentState<ProbeState> state)
    : ProbeGrainBase(state), IProbeTwinGrain;
