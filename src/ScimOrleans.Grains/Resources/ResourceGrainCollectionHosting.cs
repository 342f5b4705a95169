using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using ScimOrleans.Grains.Groups;
using ScimOrleans.Grains.Users;

namespace ScimOrleans.Grains.Resources;

/// <summary>How long idle resource grains stay in memory: <see cref="ScimGrainOptions.ResourceIdleMinutes"/>.</summary>
public static class ResourceGrainCollectionHosting
{
    /// <summary>
    /// Sets the idle collection age of <see cref="UserGrain"/> and <see cref="GroupGrain"/> from the SCIM options
    /// (configured after <c>GrainCollectionOptions</c>' own settings, so the quantum it is checked against is the one in use).
    /// </summary>
    public static ISiloBuilder AddResourceGrainCollection(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddOptions<GrainCollectionOptions>().Configure<IOptions<ScimGrainOptions>>((collection, scim) =>
        {
            var idle = TimeSpan.FromMinutes(scim.Value.ResourceIdleMinutes);
            if (idle <= collection.CollectionQuantum)
            {
                throw new OptionsValidationException(nameof(ScimGrainOptions.ResourceIdleMinutes), typeof(ScimGrainOptions),
                [$"Scim:ResourceIdleMinutes is {scim.Value.ResourceIdleMinutes}; it must be more than Orleans' collection quantum ({collection.CollectionQuantum.TotalMinutes} minutes)."]);
            }

            collection.ClassSpecificCollectionAge[typeof(UserGrain).FullName!] = idle;
            collection.ClassSpecificCollectionAge[typeof(GroupGrain).FullName!] = idle;
        });
        return silo;
    }
}
