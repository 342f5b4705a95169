using System.Diagnostics.CodeAnalysis;
using Orleans.Runtime;
using ScimOrleans.Grains.Abstractions.Tenants;

namespace ScimOrleans.Grains.Abstractions.Resources;

/// <summary>
/// References to the grains every request talks to. <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string)"/>
/// resolves the interface's grain type by reflection on every call (profiled at about a tenth of a GET by id); these
/// resolve it once per interface and then only build the id.
/// </summary>
public static class ResourceGrainReferences
{
    public static IUserGrain GetUserGrain(this IGrainFactory factory, string tenantId, string id) =>
        Cached<IUserGrain>.Get(factory, ResourceKeys.User(tenantId, id));

    public static IGroupGrain GetGroupGrain(this IGrainFactory factory, string tenantId, string id) =>
        Cached<IGroupGrain>.Get(factory, ResourceKeys.Group(tenantId, id));

    public static ITenantGrain GetTenantGrain(this IGrainFactory factory, string tenantId) =>
        Cached<ITenantGrain>.Get(factory, ResourceKeys.Tenant(tenantId));

    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Private cache per interface.")]
    private static class Cached<TGrain>
        where TGrain : IGrainWithStringKey
    {
        private static Resolution? resolved;

        public static TGrain Get(IGrainFactory factory, string key)
        {
            ArgumentNullException.ThrowIfNull(factory);
            // Racing first calls resolve equal values; either write wins (a reference write is atomic).
            var resolution = resolved ??= Resolve(factory);
            return (TGrain)factory.GetGrain(GrainId.Create(resolution.Type, key), resolution.Interface);
        }

        private static Resolution Resolve(IGrainFactory factory)
        {
            var reference = (GrainReference)(object)factory.GetGrain<TGrain>("resolve/x/type");
            return new Resolution(reference.GrainId.Type, reference.InterfaceType);
        }
    }

    private sealed record Resolution(GrainType Type, GrainInterfaceType Interface);
}
