using System.Net;
using System.Net.Sockets;

namespace ScimOrleans.Silo.Tests.Infrastructure;

/// <summary>Finds free loopback TCP ports for the silo and gateway endpoints of an in-process test server.</summary>
internal static class FreePorts
{
    private static readonly object Gate = new();
    private static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        lock (Gate)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                // Never hand the same port twice in one test run, even if the OS offers it again.
                if (Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
