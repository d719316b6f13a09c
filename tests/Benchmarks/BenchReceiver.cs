using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace OkrKpi.Benchmarks;

/// <summary>
/// B14's webhook receiver: answers 200 to every POST and records how long after its event's timestamp (taken in the
/// transaction that committed it) each delivery arrived. Only deliveries of events after <see cref="Reset"/> count.
/// </summary>
internal sealed class BenchReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<double> _latencies = new();
    private readonly CancellationTokenSource _stop = new();
    private DateTimeOffset _since = DateTimeOffset.MaxValue;

    public BenchReceiver(int port)
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        for (var i = 0; i < 8; i++) _ = Task.Run(ServeAsync);
    }

    public void Reset()
    {
        _latencies.Clear();
        _since = DateTimeOffset.UtcNow;
    }

    /// <summary>Milliseconds from event to arrival, sorted.</summary>
    public double[] Latencies() => _latencies.Order().ToArray();

    public async Task WaitForAsync(int count, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (_latencies.Count < count && DateTime.UtcNow < until) await Task.Delay(50);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            var arrived = DateTimeOffset.UtcNow;
            using (var document = await JsonDocument.ParseAsync(context.Request.InputStream))
            {
                var occurred = document.RootElement.GetProperty("timestamp").GetDateTimeOffset();
                if (occurred >= _since) _latencies.Enqueue((arrived - occurred).TotalMilliseconds);
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
    }
}
