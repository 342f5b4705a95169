using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using ScimOrleans.Grains.Groups;
using ScimOrleans.Grains.Users;
using ScimOrleans.Silo.Tests.Infrastructure;

namespace ScimOrleans.Silo.Tests.Hosting;

/// <summary>How long idle user and group grains stay in memory, and the memory-pressure guard beside it.</summary>
public sealed class ResourceGrainCollectionTests
{
    [Fact]
    public async Task The_configured_idle_minutes_reach_Orleans_for_users_and_groups_and_memory_pressure_sheds_grains_by_default()
    {
        await using var server = await ScimServer.StartAsync("--Scim:ResourceIdleMinutes", "7");
        var collection = server.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(7), collection.ClassSpecificCollectionAge[typeof(UserGrain).FullName!]);
        Assert.Equal(TimeSpan.FromMinutes(7), collection.ClassSpecificCollectionAge[typeof(GroupGrain).FullName!]);
        Assert.True(collection.EnableActivationSheddingOnMemoryPressure);
    }

    [Fact]
    public async Task An_operator_can_turn_shedding_off_and_move_its_limits()
    {
        await using var server = await ScimServer.StartAsync(
            "--Orleans:GrainCollection:EnableActivationSheddingOnMemoryPressure", "false",
            "--Orleans:GrainCollection:MemoryUsageLimitPercentage", "90");
        var collection = server.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;

        Assert.False(collection.EnableActivationSheddingOnMemoryPressure);
        Assert.Equal(90, collection.MemoryUsageLimitPercentage);
    }

    [Fact]
    public async Task An_idle_age_Orleans_could_not_honour_stops_the_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await ScimServer.StartAsync("--Scim:ResourceIdleMinutes", "0.5");
        });

        Assert.Contains("Scim:ResourceIdleMinutes is 0.5", error.ToString(), StringComparison.Ordinal);
    }
}
