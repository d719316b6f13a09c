using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OkrKpi.Api.IntegrationTests.Features.Notifications;

/// <summary>A request the receiver got: its webhook headers and body.</summary>
public sealed record ReceivedWebhook(string Path, string? Id, string? Timestamp, string? Signature, string Body, DateTimeOffset ReceivedAt);

/// <summary>
/// A real HTTP server on 127.0.0.1 (which the test API allows in Webhooks:AllowedNetworks) that records what it is
/// sent. <see cref="FailNext"/> makes it answer 500 to the next requests, on purpose.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failures;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Every request, including those answered with a failure.</summary>
    public int Requests;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public string Url(string path = "hook") => new Uri(BaseAddress, path).ToString();

    public void FailNext(int times) => Interlocked.Exchange(ref _failures, times);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            Interlocked.Increment(ref receiver.Requests);
            if (http.Request.Path == "/redirect") return Results.Redirect("/hook", permanent: false, preserveMethod: true);
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Decrement(ref receiver._failures) >= 0) return Results.StatusCode(500);
            receiver.Received.Enqueue(new ReceivedWebhook(http.Request.Path, http.Request.Headers["webhook-id"], http.Request.Headers["webhook-timestamp"],
                http.Request.Headers["webhook-signature"], body, DateTimeOffset.UtcNow));
            return Results.Ok("thanks");
        });
        await app.StartAsync();
        receiver.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return receiver;
    }

    /// <summary>Waits (real time) until <paramref name="count"/> requests arrived, or fails the test.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? patience = null)
    {
        var until = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(15));
        while (Received.Count < count && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.That(Received.Count, Is.GreaterThanOrEqualTo(count), $"The receiver got {Received.Count} of {count} webhooks in time.");
        return Received.ToList();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
