using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Api.IntegrationTests.Features.Measurements;

/// <summary>
/// The real server in its own process, on its own SQLite file: an import cut short by a crash or by a client that goes
/// away leaves nothing behind, and the server goes on serving. The upload pauses halfway, so the cut always lands while
/// the import's transaction is open and has already spilled rows to the WAL. Kestrel also cuts off a chunked body at the
/// configured limit, which the in-process TestServer cannot show (it has no request body size limit). The server
/// migrates its file at start; the tests then insert the admin and its token, as the in-process fixture does, and
/// send that token.
/// </summary>
[Category("Process")]
public sealed class ImportProcessSafetyTests
{
    private const int Rows = 300_000;
    private const int Kpis = 3;
    private static readonly TimeSpan Patience = ApiProcess.Patience;

    private string _database = null!;

    [SetUp]
    public void CreateDatabaseFile() => _database = ApiProcess.NewDatabaseFile("process");

    [TearDown]
    public void DeleteDatabaseFile() => ApiProcess.DeleteDatabaseFile(_database);

    [Test]
    public async Task A_server_killed_during_an_import_restarts_with_none_of_its_rows()
    {
        var server = await ApiProcess.StartAsync(_database);
        try
        {
            await GivenLoadKpisAsync(server.Client);
            var body = new GeneratedCsv(Rows, pauseAfterRows: Rows / 2);
            var walBefore = WalBytes();
            var upload = server.Client.PostAsync("/api/v1/measurements/import", body.Content());
            await WhileTheImportIsWritingAsync(body, server, walBefore);

            server.Kill();
            body.Resume();

            Assert.That(async () => await upload, Throws.InstanceOf<HttpRequestException>().Or.InstanceOf<TaskCanceledException>());
            server.Dispose();
            server = await ApiProcess.StartAsync(_database);
            Assert.That(await CountAsync("SELECT COUNT(*) FROM KpiMeasurement"), Is.EqualTo(0), "an atomic import leaves all of its rows or none");
            Assert.That(await CountAsync("SELECT COUNT(*) FROM KpiMeasurementHistory"), Is.EqualTo(0));
            Assert.That(await ScalarAsync("PRAGMA integrity_check"), Is.EqualTo("ok"));
            await ImportsOneRowAsync(server);
        }
        finally
        {
            server.Dispose();
        }
    }

    [Test]
    public async Task A_client_that_disconnects_during_an_import_leaves_nothing_and_the_server_goes_on_answering()
    {
        using var server = await ApiProcess.StartAsync(_database);
        await GivenLoadKpisAsync(server.Client);
        var body = new GeneratedCsv(Rows, pauseAfterRows: Rows / 2);
        using var disconnect = new CancellationTokenSource();
        var walBefore = WalBytes();
        var upload = server.Client.PostAsync("/api/v1/measurements/import", body.Content(), disconnect.Token);
        await WhileTheImportIsWritingAsync(body, server, walBefore);

        await disconnect.CancelAsync();
        body.Resume();

        Assert.That(async () => await upload, Throws.InstanceOf<OperationCanceledException>());
        await ImportsOneRowAsync(server);
        Assert.That(await CountAsync("SELECT COUNT(*) FROM KpiMeasurement"), Is.EqualTo(1), "only the row of the import that followed");
        Assert.That(await CountAsync("SELECT COUNT(*) FROM KpiMeasurementHistory"), Is.EqualTo(0));
        Assert.That(server.HasExited, Is.False, server.Output);
        Assert.That(server.Output, Does.Not.Contain("Unhandled exception"));
    }

    [Test]
    public async Task A_chunked_upload_over_the_configured_limit_is_cut_off_with_413_and_stores_nothing()
    {
        using var server = await ApiProcess.StartAsync(_database, "--Import:BodyBytes=100000");
        await GivenLoadKpisAsync(server.Client);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Client.BaseAddress!.Host, server.Client.BaseAddress.Port);
        var connection = tcp.GetStream();
        var rows = Encoding.ASCII.GetBytes("kpi,period,value\n" + string.Concat(Enumerable.Range(0, 5_000).Select(GeneratedCsv.Line)));
        Assert.That(rows, Has.Length.GreaterThan(150_000));

        // Chunked, so there is no Content-Length to judge by, and never finished: only the server's count of bytes can answer.
        await connection.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST /api/v1/measurements/import HTTP/1.1\r\nHost: {server.Client.BaseAddress.Authority}\r\nAuthorization: Bearer {Callers.AdminToken}\r\n" +
            "Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"));
        foreach (var chunk in rows.Chunk(16 * 1024))
            await connection.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n").Concat(chunk).Concat("\r\n"u8.ToArray()).ToArray());
        var answer = await ReadResponseHeadAsync(connection);

        Assert.That(answer, Does.StartWith("HTTP/1.1 413"), answer + "\n" + server.Output);
        Assert.That(await CountAsync("SELECT COUNT(*) FROM KpiMeasurement"), Is.EqualTo(0));
        await ImportsOneRowAsync(server);
    }

    private static async Task<string> ReadResponseHeadAsync(NetworkStream connection)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var head = new StringBuilder();
        var buffer = new byte[4096];
        while (!head.ToString().Contains("\r\n\r\n"))
        {
            var n = await connection.ReadAsync(buffer, timeout.Token);
            if (n == 0) break;
            head.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return head.ToString();
    }

    /// <summary>Waits until the upload is paused halfway and the server's open transaction has spilled rows into the WAL.</summary>
    private async Task WhileTheImportIsWritingAsync(GeneratedCsv body, ApiProcess server, long walBefore)
    {
        var waited = Stopwatch.StartNew();
        await body.Paused.WaitAsync(Patience);
        while (WalBytes() < walBefore + 1024 * 1024)
        {
            Assert.That(waited.Elapsed, Is.LessThan(Patience), $"the import never wrote to the WAL ({WalBytes()} bytes).\n{server.Output}");
            Assert.That(server.HasExited, Is.False, server.Output);
            await Task.Delay(50);
        }
    }

    private long WalBytes()
    {
        var wal = new FileInfo(_database + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    private static async Task GivenLoadKpisAsync(HttpClient client)
    {
        for (var i = 0; i < Kpis; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/kpis", new JsonObject
            {
                ["key"] = $"load-{i}",
                ["name"] = $"Load {i}",
                ["valueType"] = "number",
                ["frequency"] = "hourly",
                ["target"] = new JsonObject { ["comparator"] = "atLeast", ["value"] = 100 },
            });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A small import succeeds; a 503 (the writer's turn not yet free) is retried as its Retry-After says, for a few seconds.</summary>
    private static async Task ImportsOneRowAsync(ApiProcess server)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var response = await server.Client.PostAsync("/api/v1/measurements/import",
                new StringContent("kpi,period,value\nload-0,2024-01-01T00:00:00Z,1\n", Encoding.UTF8, "text/csv"));
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text + "\n" + server.Output);
            Assert.That(JsonNode.Parse(text)!["created"]!.GetValue<long>(), Is.EqualTo(1));
            return;
        }
    }

    private Task<long> CountAsync(string sql) => ScalarAsync(sql).ContinueWith(t => Convert.ToInt64(t.Result, CultureInfo.InvariantCulture));

    private async Task<object> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// A large CSV made as it is read, so it costs no memory: rows over <see cref="Kpis"/> hourly KPIs, going back an hour
    /// per round from 2020. It stops after <c>pauseAfterRows</c> until told to go on, so a test can act mid-upload.
    /// </summary>
    private sealed class GeneratedCsv(int rows, int pauseAfterRows) : Stream
    {
        private static readonly DateTime Newest = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private byte[] _line = "kpi,period,value\n"u8.ToArray();
        private int _offset, _next;

        public Task Paused => _paused.Task;

        public void Resume() => _resumed.TrySetResult();

        public HttpContent Content()
        {
            var content = new StreamContent(this, 64 * 1024);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            return content;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var written = 0;
            while (written < buffer.Length)
            {
                if (_offset == _line.Length)
                {
                    if (_next == rows) break;
                    if (_next == pauseAfterRows && !_resumed.Task.IsCompleted)
                    {
                        if (written > 0) break;   // hand over what is ready; pause on the next read
                        _paused.TrySetResult();
                        await _resumed.Task.WaitAsync(ct);
                    }
                    _line = Encoding.ASCII.GetBytes(Line(_next++));
                    _offset = 0;
                }
                var n = Math.Min(buffer.Length - written, _line.Length - _offset);
                _line.AsSpan(_offset, n).CopyTo(buffer.Span[written..]);
                _offset += n;
                written += n;
            }
            return written;
        }

        public static string Line(int row) => string.Create(CultureInfo.InvariantCulture,
            $"load-{row % Kpis},{Newest.AddHours(-(row / Kpis)):yyyy-MM-dd'T'HH':00:00Z'},{row % 1000}.5\n");

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
