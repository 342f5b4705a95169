using System.Net;
using Npgsql;
using ScimOrleans.Silo.Hosting;

namespace ScimOrleans.Cluster.Tests;

/// <summary>How cluster mode reads its configuration (no server needed).</summary>
public sealed class ClusterHostingTests
{
    [Fact]
    public void The_store_gets_a_bounded_pool_and_the_Orleans_providers_a_small_separate_one()
    {
        var strings = ClusterConnectionStrings.From("Host=db;Database=scim;Username=scim;Password=secret", orleansPoolSize: 7);

        var store = new NpgsqlConnectionStringBuilder(strings.Store);
        var orleans = new NpgsqlConnectionStringBuilder(strings.Orleans);
        Assert.Equal(ClusterHosting.DefaultStorePoolSize, store.MaxPoolSize);
        Assert.Equal("scimorleans", store.ApplicationName);
        Assert.Equal(ClusterConnectionStrings.DefaultMaxAutoPrepare, store.MaxAutoPrepare);
        Assert.True(store.NoResetOnClose);
        Assert.Equal(7, orleans.MaxPoolSize);
        Assert.Equal("scimorleans-orleans", orleans.ApplicationName);
        Assert.Equal(("db", "scim", "scim", "secret"), (orleans.Host, orleans.Database, orleans.Username, orleans.Password));
    }

    [Theory]
    [InlineData("Maximum Pool Size=50")]
    [InlineData("maximum pool size=50")]
    public void A_pool_size_set_by_the_operator_is_kept(string setting)
    {
        var strings = ClusterConnectionStrings.From($"Host=db;Database=scim;{setting};Application Name=tenant-a", orleansPoolSize: 10);

        Assert.Equal(50, new NpgsqlConnectionStringBuilder(strings.Store).MaxPoolSize);
        Assert.Equal("tenant-a-orleans", new NpgsqlConnectionStringBuilder(strings.Orleans).ApplicationName);
    }

    [Theory]
    [InlineData("Max Auto Prepare=0")]
    [InlineData("maxautoprepare=0")]
    public void Automatic_preparation_set_by_the_operator_is_kept(string setting)
    {
        var strings = ClusterConnectionStrings.From($"Host=db;Database=scim;{setting}", orleansPoolSize: 10);

        Assert.Equal(0, new NpgsqlConnectionStringBuilder(strings.Store).MaxAutoPrepare);
    }

    [Theory]
    [InlineData("No Reset On Close=false")]
    [InlineData("noresetonclose=false")]
    public void The_session_reset_set_by_the_operator_is_kept(string setting)
    {
        var strings = ClusterConnectionStrings.From($"Host=db;Database=scim;{setting}", orleansPoolSize: 10);

        Assert.False(new NpgsqlConnectionStringBuilder(strings.Store).NoResetOnClose);
    }

    [Fact]
    public void The_advertised_address_is_loopback_by_default_an_IP_as_given_or_the_hosts_own_with_auto()
    {
        Assert.Equal(IPAddress.Loopback, ClusterHosting.ResolveAdvertisedAddress(null));
        Assert.Equal(IPAddress.Parse("10.1.2.3"), ClusterHosting.ResolveAdvertisedAddress("10.1.2.3"));
        Assert.Equal(IPAddress.Loopback, ClusterHosting.ResolveAdvertisedAddress("localhost"));
        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, ClusterHosting.ResolveAdvertisedAddress("auto").AddressFamily);
    }

    [Fact]
    public async Task Cluster_mode_without_a_connection_string_fails_with_the_key_to_set()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ScimApp.BuildAsync(["--Scim:Mode", "Cluster"]));
        Assert.Contains("ConnectionStrings__Scim", error.Message, StringComparison.Ordinal);
    }
}
