using System.Net;
using System.Net.Sockets;

namespace ScimOrleans.LoadTest.Targets;

/// <summary>A free loopback TCP port for a server this process starts (silo endpoints, a private PostgreSQL).</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
