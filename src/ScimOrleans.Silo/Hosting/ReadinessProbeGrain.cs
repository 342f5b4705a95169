using Orleans.Concurrency;

namespace ScimOrleans.Silo.Hosting;

/// <summary>Answers from the silo that calls it: proves this silo's grain runtime is scheduling work.</summary>
public interface IReadinessProbeGrain : IGrainWithIntegerKey
{
    Task<bool> Ping();
}

/// <summary>
/// A stateless worker is always activated on the calling silo and never registered in the grain directory, so the
/// readiness of one silo does not depend on whichever silo a shared probe grain happened to live on (a dead silo
/// would otherwise make every survivor report "not ready" until it is declared dead).
/// </summary>
[StatelessWorker(1)]
public sealed class ReadinessProbeGrain : Grain, IReadinessProbeGrain
{
    public Task<bool> Ping() => Task.FromResult(true);
}
