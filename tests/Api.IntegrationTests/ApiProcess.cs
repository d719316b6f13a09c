using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;

namespace OkrKpi.Api.IntegrationTests;

/// <summary>The API as `dotnet OkrKpi.Api.dll`, from the build output the tests already reference.</summary>
internal sealed class ApiProcess : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>A path for one test's SQLite file, in the temporary folder (the server creates the file).</summary>
    public static string NewDatabaseFile(string name) => Path.Combine(Path.GetTempPath(), $"okrkpi-{name}-{Guid.NewGuid():N}.db");

    /// <summary>Deletes a test's SQLite file with its journal, write-ahead log and shared-memory file.</summary>
    public static void DeleteDatabaseFile(string database)
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { database, database + "-journal", database + "-wal", database + "-shm" })
            if (File.Exists(path)) File.Delete(path);
    }

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, Uri address)
    {
        _process = process;
        Client = new HttpClient(new Testing.ContractCheckingHandler(new HttpClientHandler())) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Callers.AdminToken);
    }

    public HttpClient Client { get; }
    public bool HasExited => _process.HasExited;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts it and waits until it is ready, with the fixture's admin and token in its database.</summary>
    public static async Task<ApiProcess> StartAsync(string database, params string[] settings)
    {
        var server = Launch(database, settings);
        try
        {
            await server.WaitFor200Async("/health/ready");
            await SeedAdminOnceAsync(database);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>Starts it without waiting for anything.</summary>
    public static ApiProcess Launch(string database, params string[] settings)
    {
        var folder = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(folder, "OkrKpi.Api.dll"), "--urls", address.ToString().TrimEnd('/'), "--Database:Provider=sqlite",
            $"--ConnectionStrings:OkrKpi=Data Source={database}", "--Demo:Enabled=false",
        }.Concat(settings))
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var server = new ApiProcess(new Process { StartInfo = start }, address);
        server._process.OutputDataReceived += (_, line) => server.Append(line.Data);
        server._process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The fixture's admin and token, on the real clock the server runs on; a restarted server finds them already there.</summary>
    private static async Task SeedAdminOnceAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM AppUser";
        if ((long)(await exists.ExecuteScalarAsync())! == 0)
            await Callers.SeedAdminAsync(connection, DateTimeOffset.UtcNow);
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200 (the process must not stop meanwhile).</summary>
    public async Task WaitFor200Async(string path)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.That(_process.HasExited, Is.False, $"the server stopped.\n{Output}");
            Assert.That(waited.Elapsed, Is.LessThan(Patience), $"no 200 from {path} in time.\n{Output}");
            try
            {
                using var response = await Client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to stop on its own; its exit code.</summary>
    public async Task<int> ExitAsync(TimeSpan patience)
    {
        using var waiting = new CancellationTokenSource(patience);
        await _process.WaitForExitAsync(waiting.Token);
        return _process.ExitCode;
    }

    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
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

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        Client.Dispose();
    }
}
