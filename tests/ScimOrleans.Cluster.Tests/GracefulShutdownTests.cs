using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using ScimOrleans.Cluster.Tests.Processes;
using ScimOrleans.Silo.Hosting;
using ScimOrleans.TestSupport;

namespace ScimOrleans.Cluster.Tests;

/// <summary>A graceful stop (SIGTERM) lets in-flight HTTP requests finish, with a working silo, before the silo leaves.</summary>
[Collection(PostgresCollection.Name)]
public sealed class GracefulShutdownTests(PostgresServer server)
{
    [Fact]
    public async Task The_web_server_stops_before_the_silo_and_within_the_configured_shutdown_timeout()
    {
        var data = Directory.CreateTempSubdirectory("scim-order-").FullName;
        try
        {
            await using var app = await ScimApp.BuildAsync(
            [
                "--Scim:DataDirectory", data, "--Scim:ShutdownTimeoutSeconds", "17",
                "--Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ]);

            // Hosted services stop in reverse registration order: the web server must come after the silo.
            var names = app.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
            var web = names.IndexOf("GenericWebHostService");
            var silo = names.FindIndex(n => n.Contains("Silo", StringComparison.Ordinal));
            Assert.True(web >= 0 && silo >= 0 && silo < web, $"Hosted services in start order: {string.Join(", ", names)}");
            Assert.Equal(web, names.Count - 1);

            var host = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value;
            Assert.Equal(TimeSpan.FromSeconds(17), host.ShutdownTimeout);
            Assert.False(host.ServicesStopConcurrently);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [PostgresFact]
    public async Task A_request_in_flight_when_SIGTERM_arrives_completes_and_the_silo_then_leaves_the_cluster()
    {
        await using var cluster = new ProcessCluster(await server.CreateDatabaseAsync());
        var silo = (await cluster.StartSilosAsync(1))[0];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        // A create whose body arrives in two parts; the second part is held back until the stop has begun.
        var userName = $"drain-{Guid.NewGuid():N}@example.com";
        var json = $$"""{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName}}","title":"in flight"}""";
        using var content = new HeldBackContent(Encoding.UTF8.GetBytes(json), split: 20);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(silo.HttpAddress, $"scim/v2/{ProcessCluster.Tenant}/Users")) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProcessCluster.TenantToken);
        var pending = http.SendAsync(request);
        await content.FirstPartSent.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(300); // let the server start the request

        silo.SignalTerminate();

        // Draining: the server accepts no new connection, while the request above is still open.
        Assert.True(await PostgresSilos.EventuallyAsync(async () =>
        {
            try
            {
                using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                using var response = await probe.GetAsync(new Uri(silo.HttpAddress, "healthz"));
                return false;
            }
            catch (HttpRequestException)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(10)), "After SIGTERM the silo should stop accepting connections.");
        Assert.False(pending.IsCompleted);
        Assert.False(silo.HasExited);

        content.ReleaseRest();
        using var created = await pending;
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}\n{cluster.Logs()}");

        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, await cluster.ScalarAsync($"SELECT count(*) FROM resources WHERE user_name = '{userName}'"));
        // It left the cluster (Dead), rather than being declared dead by others later.
        Assert.Equal(1, await cluster.ScalarAsync(
            $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{cluster.ClusterId}' AND Port = {silo.SiloPort} AND Status = 6"));
    }

    /// <summary>Request content sent in two parts: the second only after <see cref="ReleaseRest"/>.</summary>
    private sealed class HeldBackContent(byte[] body, int split) : HttpContent
    {
        private readonly TaskCompletionSource firstPartSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstPartSent => firstPartSent.Task;

        public void ReleaseRest() => release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(body.AsMemory(0, split));
            await stream.FlushAsync();
            firstPartSent.TrySetResult();
            await release.Task;
            await stream.WriteAsync(body.AsMemory(split));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
