using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>A receiver's address is loopback, private, link-local, a cloud metadata address or otherwise not public.</summary>
public sealed class OutboundAddressRefusedException(string host, IPAddress address)
    : Exception($"'{host}' resolves to {address}, which is not a public address; a receiver there must be allowed in Webhooks:AllowedNetworks.")
{
    public IPAddress Address { get; } = address;
}

/// <summary>
/// Keeps webhook requests away from the server's own network (SSRF): every address a receiver's host resolves to is
/// checked when the connection is made (so a DNS answer that changes after the subscription was saved is checked
/// too), and the connection goes to the address that was checked. Blocked unless in <c>Webhooks:AllowedNetworks</c>:
/// loopback, "this network", private (RFC 1918), carrier-grade NAT, link-local (and with it the cloud metadata
/// address 169.254.169.254), IPv6 unique-local (fd00:ec2::254 too) and link-local, multicast, reserved and
/// documentation ranges; an IPv4-mapped IPv6 address is judged as its IPv4 address.
/// </summary>
public sealed class OutboundAddressGuard(IOptions<NotificationOptions> options)
{
    public static readonly IReadOnlyList<IPNetwork> Blocked = new[]
    {
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    }.Select(IPNetwork.Parse).ToList();

    private readonly IReadOnlyList<IPNetwork> _allowed = options.Value.AllowedNetworks.Select(IPNetwork.Parse).ToList();

    public bool Permits(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return _allowed.Any(n => n.Contains(address)) || !Blocked.Any(n => n.Contains(address));
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        // One refused address refuses the host: a name that answers with both a public and a private address is a rebinding trick.
        if (addresses.FirstOrDefault(a => !Permits(a)) is { } refused) throw new OutboundAddressRefusedException(host, refused);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
