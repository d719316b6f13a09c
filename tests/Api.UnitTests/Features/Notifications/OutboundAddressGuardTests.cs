using System.Net;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Features.Notifications;

namespace OkrKpi.Api.UnitTests.Features.Notifications;

/// <summary>Which addresses a webhook may reach: one case per blocked range, public ones, and the allowlist.</summary>
public sealed class OutboundAddressGuardTests
{
    private static OutboundAddressGuard Guard(params string[] allowed) =>
        new(Options.Create(new NotificationOptions { AllowedNetworks = [.. allowed] }));

    [TestCase("127.0.0.1", TestName = "loopback")]
    [TestCase("127.255.1.2", TestName = "loopback, anywhere in 127/8")]
    [TestCase("0.0.0.0", TestName = "this network")]
    [TestCase("10.1.2.3", TestName = "private 10/8")]
    [TestCase("172.16.0.1", TestName = "private 172.16/12")]
    [TestCase("172.31.255.254", TestName = "private 172.16/12, top")]
    [TestCase("192.168.1.1", TestName = "private 192.168/16")]
    [TestCase("100.64.0.1", TestName = "carrier-grade NAT")]
    [TestCase("169.254.169.254", TestName = "cloud metadata (link-local)")]
    [TestCase("169.254.1.1", TestName = "link-local")]
    [TestCase("192.0.0.170", TestName = "IETF protocol assignments")]
    [TestCase("198.18.0.1", TestName = "benchmarking")]
    [TestCase("224.0.0.1", TestName = "multicast")]
    [TestCase("240.0.0.1", TestName = "reserved")]
    [TestCase("255.255.255.255", TestName = "broadcast")]
    [TestCase("::1", TestName = "IPv6 loopback")]
    [TestCase("::", TestName = "IPv6 unspecified")]
    [TestCase("fe80::1", TestName = "IPv6 link-local")]
    [TestCase("fd00:ec2::254", TestName = "IPv6 unique-local (AWS metadata)")]
    [TestCase("fc00::1", TestName = "IPv6 unique-local")]
    [TestCase("ff02::1", TestName = "IPv6 multicast")]
    [TestCase("::ffff:127.0.0.1", TestName = "IPv4-mapped loopback")]
    [TestCase("::ffff:169.254.169.254", TestName = "IPv4-mapped metadata")]
    [TestCase("64:ff9b::a00:1", TestName = "NAT64 of a private address")]
    public void Refuses_an_address_that_is_not_public(string address)
    {
        Assert.That(Guard().Permits(IPAddress.Parse(address)), Is.False);
    }

    [TestCase("93.184.215.14")]
    [TestCase("8.8.8.8")]
    [TestCase("172.32.0.1")]
    [TestCase("2606:4700:4700::1111")]
    [TestCase("::ffff:8.8.8.8")]
    public void Permits_a_public_address(string address)
    {
        Assert.That(Guard().Permits(IPAddress.Parse(address)), Is.True);
    }

    [Test]
    public void Permits_a_blocked_address_inside_an_allowed_network_and_nothing_beside_it()
    {
        var guard = Guard("10.0.5.0/24", "127.0.0.1/32");

        Assert.That(guard.Permits(IPAddress.Parse("10.0.5.17")), Is.True);
        Assert.That(guard.Permits(IPAddress.Parse("127.0.0.1")), Is.True);
        Assert.That(guard.Permits(IPAddress.Parse("10.0.6.17")), Is.False);
        Assert.That(guard.Permits(IPAddress.Parse("127.0.0.2")), Is.False);
        Assert.That(guard.Permits(IPAddress.Parse("::1")), Is.False);
    }
}
