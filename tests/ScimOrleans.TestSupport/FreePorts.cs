using System.Net;
using System.Net.Sockets;

namespace ScimOrleans.TestSupport;

/// <summary>
/// Free loopback TCP ports for the servers tests start (silo and gateway endpoints, PostgreSQL), never the same one
/// twice in a test run.
/// </summary>
public static class FreePorts
{
    private static readonly Lock Gate = new();
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
