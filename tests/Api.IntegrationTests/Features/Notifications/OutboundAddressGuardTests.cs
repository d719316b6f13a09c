using Microsoft.Extensions.Options;
using OkrKpi.Api.Features.Notifications;

namespace OkrKpi.Api.IntegrationTests.Features.Notifications;

/// <summary>The guard at connect time, over real sockets: a name is resolved and every address it gives is checked.</summary>
public sealed class OutboundAddressGuardTests
{
    private static HttpClient ClientAllowing(params string[] networks)
    {
        var guard = new OutboundAddressGuard(Options.Create(new NotificationOptions { AllowedNetworks = [.. networks] }));
        return new HttpClient(new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync, AllowAutoRedirect = false, UseProxy = false });
    }

    [Test]
    public async Task A_name_resolving_to_loopback_is_refused_when_the_connection_is_made()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = ClientAllowing();

        var refused = Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"http://localhost:{receiver.BaseAddress.Port}/hook", new StringContent("{}")));

        Assert.That(refused!.GetBaseException(), Is.TypeOf<OutboundAddressRefusedException>());
        Assert.That(receiver.Requests, Is.Zero);
    }

    [Test]
    public async Task The_same_receiver_is_reached_once_its_network_is_allowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = ClientAllowing("127.0.0.0/8");

        using var response = await client.PostAsync($"http://localhost:{receiver.BaseAddress.Port}/hook", new StringContent("{}"));

        Assert.That(response.IsSuccessStatusCode, Is.True);
        Assert.That(receiver.Requests, Is.EqualTo(1));
    }

    [Test]
    public async Task A_redirect_is_not_followed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = ClientAllowing("127.0.0.0/8");

        using var response = await client.PostAsync(receiver.Url("redirect"), new StringContent("{}"));

        Assert.That((int)response.StatusCode, Is.EqualTo(307));
        Assert.That(receiver.Requests, Is.EqualTo(1));
    }
}
