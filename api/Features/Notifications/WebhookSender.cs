using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using StandardWebhooks;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>One HTTP attempt of a delivery, as the delivery log shows it.</summary>
public sealed record WebhookAttemptRecord(DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, bool Succeeded, string? Error, string? ResponseBody);

/// <summary>
/// Sends one signed request per delivery round through the <c>webhooks</c> HTTP client: Standard Webhooks headers
/// (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>, HMAC-SHA256 with every secret still valid),
/// retries with exponential backoff and jitter, a timeout per attempt, no redirects, connections checked by
/// <see cref="OutboundAddressGuard"/>, and at most <see cref="NotificationOptions.MaxResponseBytes"/> of an answer read.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients)
{
    public const string ClientName = "webhooks";

    internal static readonly HttpRequestOptionsKey<List<WebhookAttemptRecord>> Attempts = new("okrkpi.webhook.attempts");

    public static string Sign(IReadOnlyList<string> secrets, string id, DateTimeOffset timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => new StandardWebhook(secret).Sign(id, timestamp, body)));

    public async Task<IReadOnlyList<WebhookAttemptRecord>> SendAsync(string url, string id, DateTimeOffset timestamp, string body,
        IReadOnlyList<string> secrets, CancellationToken ct)
    {
        var attempts = new List<WebhookAttemptRecord>();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("webhook-id", id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", Sign(secrets, id, timestamp, body));
        request.Headers.UserAgent.ParseAdd("OkrKpi-Webhooks/1");
        request.Options.Set(Attempts, attempts);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested && attempts.Count > 0)
        {
            // Each attempt's failure is in its record; the round's outcome is the last one.
        }
        return attempts;
    }

    /// <summary>The client: guarded connections, no redirects, then the retry and per-attempt timeout, then the attempt log.</summary>
    public static void Configure(IServiceCollection services)
    {
        services.AddTransient<AttemptLog>();
        var client = services.AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        client.ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // A proxy would make the connection checked the proxy's, not the receiver's.
                UseProxy = false,
                ConnectCallback = provider.GetRequiredService<OutboundAddressGuard>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AutomaticDecompression = DecompressionMethods.None,
            });
        client.AddResilienceHandler("webhook-delivery", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<NotificationOptions>>().Value;
                // Backoff and timeouts are waits on the wire, in real time, whatever clock the application keeps its records by.
                pipeline.TimeProvider = TimeProvider.System;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(0, options.AttemptsPerRound - 1),
                    Delay = TimeSpan.FromMilliseconds(options.RetryBaseDelayMs),
                    MaxDelay = TimeSpan.FromSeconds(30),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // An address the guard refused stays refused: no point asking again.
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Exception?.GetBaseException() is not OutboundAddressRefusedException && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(options.AttemptTimeoutSeconds));
            });
        client.AddHttpMessageHandler<AttemptLog>();
    }

    /// <summary>Inside the retry: records every attempt, and reads no more of an answer than the log keeps.</summary>
    internal sealed class AttemptLog(TimeProvider clock, IOptions<NotificationOptions> options) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            request.Options.TryGetValue(Attempts, out var attempts);
            var at = clock.GetUtcNow();
            var started = Stopwatch.GetTimestamp();
            try
            {
                var response = await base.SendAsync(request, ct);
                var body = await ReadCappedAsync(response, options.Value.MaxResponseBytes, ct);
                attempts?.Add(new(at, (int)response.StatusCode, Elapsed(started), response.IsSuccessStatusCode,
                    response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode}.", body));
                return response;
            }
            catch (Exception e)
            {
                attempts?.Add(new(at, null, Elapsed(started), false, Describe(e, ct), null));
                throw;
            }
        }

        private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        private static string Describe(Exception e, CancellationToken ct) => e.GetBaseException() switch
        {
            OutboundAddressRefusedException refused => refused.Message,
            OperationCanceledException when !ct.IsCancellationRequested => "No answer within the attempt's timeout.",
            OperationCanceledException => "The attempt timed out.",
            System.Net.Sockets.SocketException socket => $"Could not connect: {socket.SocketErrorCode}.",
            _ => $"The request failed: {e.GetBaseException().GetType().Name}.",
        };

        /// <summary>The first bytes of the answer as text; the connection is dropped rather than the rest read.</summary>
        private static async Task<string?> ReadCappedAsync(HttpResponseMessage response, int max, CancellationToken ct)
        {
            var buffer = new byte[max];
            var length = 0;
            await using (var stream = await response.Content.ReadAsStreamAsync(ct))
                while (length < max && await stream.ReadAsync(buffer.AsMemory(length, max - length), ct) is var read and > 0)
                    length += read;
            response.Content.Dispose();
            response.Content = new ByteArrayContent(buffer, 0, length);
            return length == 0 ? null : Encoding.UTF8.GetString(buffer, 0, length);
        }
    }
}
