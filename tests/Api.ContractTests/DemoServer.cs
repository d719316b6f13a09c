using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace OkrKpi.Api.ContractTests;

/// <summary>
/// The API as `make run` starts it, from the build output beside these tests: its own SQLite file, the demo
/// organisation seeded, a free port on 127.0.0.1. Each fixture that needs a server starts one and stops it.
/// </summary>
internal sealed class DemoServer : IAsyncDisposable
{
    public const string AdminEmail = "admin@demo.okrkpi.example";
    public const string EditorEmail = "editor@demo.okrkpi.example";
    public const string Password = "okrkpi-demo-password";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _database;
    private readonly StringBuilder _output = new();

    private DemoServer(Process process, Uri address, string database)
    {
        _process = process;
        Address = address;
        _database = database;
    }

    public Uri Address { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The built API (OkrKpi.Api.dll), copied beside these tests by the project reference.</summary>
    public static string ApiAssembly => Path.Combine(AppContext.BaseDirectory, "OkrKpi.Api.dll");

    public static async Task<DemoServer> StartAsync()
    {
        var database = Path.Combine(Path.GetTempPath(), $"okrkpi-contract-{Guid.NewGuid():N}.db");
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            ApiAssembly, "--urls", address.ToString().TrimEnd('/'), "--Database:Provider=sqlite",
            $"--ConnectionStrings:OkrKpi=Data Source={database}", "--Demo:Enabled=true",
        })
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var server = new DemoServer(new Process { StartInfo = start }, address, database);
        server._process.OutputDataReceived += (_, line) => server.Append(line.Data);
        server._process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>A client of this server whose requests carry <paramref name="token"/> as a bearer token, if any.</summary>
    public HttpClient Client(string? token = null, HttpMessageHandler? handler = null)
    {
        var client = new HttpClient(handler ?? new HttpClientHandler()) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Signs a demo person in (a cookie session) and creates an API token with every scope their role allows.</summary>
    public async Task<string> TokenAsync(string email, params string[] scopes)
    {
        var cookies = new CookieContainer();
        using var browser = Client(handler: new HttpClientHandler { CookieContainer = cookies });
        var signIn = await browser.PostAsJsonAsync("/api/v1/session", new { email, password = Password });
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signIn.Content.ReadAsStringAsync());
        var xsrf = cookies.GetCookies(Address)["XSRF-TOKEN"]!.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens")
        {
            Content = JsonContent.Create(new { name = $"contract tests {Guid.NewGuid():N}", scopes, expiresInDays = 1 }),
        };
        request.Headers.Add("X-XSRF-TOKEN", xsrf);
        var created = await browser.SendAsync(request);
        var body = await created.Content.ReadAsStringAsync();
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonNode.Parse(body)!["token"]!.GetValue<string>();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var probe = Client();
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The API stopped.\n{Output}");
            if (waited.Elapsed > Patience) throw new TimeoutException($"The API was not ready in time.\n{Output}");
            try
            {
                using var ready = await probe.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        foreach (var path in new[] { _database, _database + "-wal", _database + "-shm", _database + "-journal" })
            if (File.Exists(path)) File.Delete(path);
    }
}
