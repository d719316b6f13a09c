using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace OkrKpi.Benchmarks;

/// <summary>
/// Every process the suite starts is registered here and killed by id when it is done, on an exception,
/// on Ctrl+C and when the suite exits. Nothing is ever killed by name.
/// </summary>
internal static class Processes
{
    private static readonly List<Process> Live = [];
    private static readonly HashSet<int> Ever = [];

    /// <summary>Ids of every process the suite has started (for telling its load from other processes').</summary>
    public static HashSet<int> Started()
    {
        lock (Ever) return [.. Ever];
    }

    static Processes()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    /// <summary>Starts <c>dotnet DLL args…</c> with its stdout and stderr appended to <paramref name="logFile"/>.</summary>
    /// <remarks>Through <c>sh -c 'exec …'</c>, so the process id is the dotnet process itself (for /proc/PID/status).</remarks>
    public static Process StartDotnet(string dll, IEnumerable<string> args, string logFile)
    {
        var command = "exec dotnet " + string.Join(' ', new[] { dll }.Concat(args).Select(Quote)) + " >>" + Quote(logFile) + " 2>&1";
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = Path.GetDirectoryName(dll)! };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return Register(Process.Start(info)!);
    }

    public static Process Register(Process process)
    {
        lock (Live) Live.Add(process);
        lock (Ever) Ever.Add(process.Id);
        return process;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigTerm = 15;

    /// <summary>
    /// Asks the process to stop (SIGTERM, as systemd or docker would), so the app shuts down gracefully and SQLite's
    /// last connection checkpoints and removes its WAL; after <paramref name="grace"/> it is killed.
    /// </summary>
    public static void Stop(Process? process, TimeSpan grace)
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited && kill(process.Id, SigTerm) == 0) process.WaitForExit(grace);
        }
        catch (InvalidOperationException) { }
        Kill(process);
    }

    public static void Kill(Process? process)
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
        lock (Live) Live.Remove(process);
        process.Dispose();
    }

    public static void KillAll()
    {
        Process[] all;
        lock (Live) all = [.. Live];
        foreach (var process in all) Kill(process);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>Runs a program to its end (bounded), returning exit code and stdout; stderr is appended to stdout.</summary>
    public static async Task<(int Code, string Output, TimeSpan Elapsed)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var a in args) info.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        var process = Register(Process.Start(info)!);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(cts.Token);
            watch.Stop();
            return (process.ExitCode, await stdout + await stderr, watch.Elapsed);
        }
        finally
        {
            Kill(process);
        }
    }
}

/// <summary>
/// Who the scenarios act as: the admin that start-up creates from OKRKPI_ADMIN_EMAIL/PASSWORD signs in with a session
/// cookie and the CSRF header, and creates an API token, as an integrator would; every request then sends the token,
/// so each one pays for authentication as in production. The per-token write limit is lifted: the suite measures
/// how fast the API writes, not the limiter.
/// </summary>
internal static class BenchCaller
{
    public const string Email = "bench@okrkpi.local";
    public static readonly string Password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static string[] ApiArguments =>
        [$"--OKRKPI_ADMIN_EMAIL={Email}", $"--OKRKPI_ADMIN_PASSWORD={Password}", "--RateLimits:WritesPerTokenPerMinute=1000000000"];

    public static async Task<string> CreateTokenAsync(string baseUrl)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
        using var signIn = await http.PostAsync("/api/v1/session", Json(new { email = Email, password = Password }));
        if (signIn.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"Signing in as {Email} answered {(int)signIn.StatusCode}: {await signIn.Content.ReadAsStringAsync()}");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens")
        {
            Content = Json(new { name = "make bench", scopes = new[] { "admin", "kpis:read", "kpis:write", "measurements:write" }, expiresInDays = 1 }),
        };
        request.Headers.Add("X-XSRF-TOKEN", cookies.GetCookies(new Uri(baseUrl))["XSRF-TOKEN"]?.Value);
        using var created = await http.SendAsync(request);
        var body = await created.Content.ReadAsStringAsync();
        if (created.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Creating the benchmark's API token answered {(int)created.StatusCode}: {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

/// <summary>A web app the suite started (the API or HelloWorld), its port and its log.</summary>
internal sealed class Server : IAsyncDisposable
{
    public required Process Process { get; init; }
    public required int Port { get; init; }
    public required string LogFile { get; init; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = 16, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        Timeout = TimeSpan.FromMinutes(10),
    };

    /// <summary>The API token every scenario sends, made the way an integrator makes one (see <see cref="BenchCaller"/>).</summary>
    public string Token { get; private set; } = "";

    public static async Task<Server> StartApiAsync(Settings settings, string db, int port, string name, IEnumerable<string>? extra = null)
    {
        PortCheck.EnsureFree(port);
        var log = Path.Combine(settings.LogDir, name + ".log");
        var process = Processes.StartDotnet(settings.ApiDll,
            ["--urls", $"http://127.0.0.1:{port}", $"--ConnectionStrings:OkrKpi=Data Source={db}", "--Demo:Enabled=false",
             .. BenchCaller.ApiArguments, .. extra ?? []], log);
        var server = new Server { Process = process, Port = port, LogFile = log };
        try
        {
            await server.WaitForAsync("/health/ready", TimeSpan.FromSeconds(90));
            server.Token = await BenchCaller.CreateTokenAsync(server.BaseUrl);
            server.Http.DefaultRequestHeaders.Authorization = new("Bearer", server.Token);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public static async Task<Server> StartHelloAsync(Settings settings, int port, string name)
    {
        PortCheck.EnsureFree(port);
        var log = Path.Combine(settings.LogDir, name + ".log");
        var process = Processes.StartDotnet(settings.HelloDll, ["--urls", $"http://127.0.0.1:{port}"], log);
        var server = new Server { Process = process, Port = port, LogFile = log };
        try
        {
            await server.WaitForAsync("/", TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitForAsync(string path, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (Process.HasExited)
                throw new InvalidOperationException($"{Path.GetFileName(LogFile)}: the process exited with {Process.ExitCode} before answering. Log tail:\n{Tail(LogFile)}");
            try
            {
                using var response = await Http.GetAsync(BaseUrl + path);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{BaseUrl}{path} did not answer 200 within {timeout.TotalSeconds:0} s. Log tail:\n{Tail(LogFile)}");
    }

    public long RssBytes() => Rss.Of(Process.Id);

    /// <summary>
    /// Waits (at most <paramref name="max"/>) until this server has used under 0.05 cores for a whole second: after a
    /// warm-up its JIT still recompiles the hot methods with full optimisation in the background for a while.
    /// </summary>
    public async Task<TimeSpan> WaitUntilIdleAsync(TimeSpan max)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < max)
        {
            Process.Refresh();
            var before = Process.TotalProcessorTime;
            await Task.Delay(1000);
            Process.Refresh();
            if ((Process.TotalProcessorTime - before).TotalSeconds < 0.05) break;
        }
        return waited.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Processes.Stop(Process, TimeSpan.FromSeconds(20));
        await Task.CompletedTask;
    }

    public static string Tail(string file, int lines = 20)
    {
        try
        {
            return string.Join('\n', File.ReadLines(file).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}

internal static class PortCheck
{
    public static void EnsureFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
        catch (SocketException)
        {
            throw new InvalidOperationException($"Port 127.0.0.1:{port} is taken by another process; the suite needs 127.0.0.1:5510-5530.");
        }
    }
}

/// <summary>Resident memory of a process from /proc/PID/status, and a poller that keeps the peak.</summary>
internal static class Rss
{
    public static long Of(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"No VmRSS in /proc/{pid}/status.");
    }

    /// <summary>Polls VmRSS every <paramref name="everyMs"/> ms on its own thread until disposed; Peak is the largest seen.</summary>
    public sealed class Poller : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;
        public int Samples { get; private set; }

        public Poller(int pid, int everyMs = 20)
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    try
                    {
                        var rss = Of(pid);
                        if (rss > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, rss);
                        Samples++;
                    }
                    catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException) { return; }
                    Thread.Sleep(everyMs);
                }
            }) { IsBackground = true, Priority = ThreadPriority.AboveNormal, Name = "rss-poller" };
            _thread.Start();
        }

        public long Peak => Interlocked.Read(ref _peak);

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}

/// <summary>wrk, and what its --latency report says.</summary>
internal static partial class Wrk
{
    public sealed record Result(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Non2xx, string SocketErrors, string Raw);

    public static async Task<Result> RunAsync(string url, int seconds, string? token = null)
    {
        string[] auth = token is null ? [] : ["-H", $"Authorization: Bearer {token}"];
        var (code, output, _) = await Processes.RunAsync("wrk", ["-t2", "-c32", $"-d{seconds}s", "--latency", .. auth, url], TimeSpan.FromSeconds(seconds + 60));
        if (code != 0) throw new InvalidOperationException($"wrk exited with {code}:\n{output}");
        return Parse(output);
    }

    public static Result Parse(string output)
    {
        var rps = RpsLine().Match(output);
        var p50 = Percentile(output, "50%");
        var p99 = Percentile(output, "99%");
        if (!rps.Success || p99 is null || p50 is null) throw new InvalidOperationException($"Cannot read wrk's output:\n{output}");
        var requests = RequestsLine().Match(output);
        var non2xx = Non2xxLine().Match(output);
        var socket = SocketLine().Match(output);
        return new Result(
            double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), p50.Value, p99.Value,
            requests.Success ? long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            socket.Success ? socket.Groups[1].Value.Trim() : "", output);
    }

    private static double? Percentile(string output, string which)
    {
        var m = Regex.Match(output, @"^\s*" + Regex.Escape(which) + @"\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline);
        if (!m.Success) return null;
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, _ => value * 60_000 };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")] private static partial Regex RpsLine();
    [GeneratedRegex(@"^\s*(\d+) requests in", RegexOptions.Multiline)] private static partial Regex RequestsLine();
    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")] private static partial Regex Non2xxLine();
    [GeneratedRegex(@"Socket errors:(.*)$", RegexOptions.Multiline)] private static partial Regex SocketLine();
}

internal static class Text
{
    public static string N(double v) => v.ToString("#,0", CultureInfo.InvariantCulture);
    public static string N(long v) => v.ToString("#,0", CultureInfo.InvariantCulture);
    public static string F(double v, int decimals = 2) => v.ToString("F" + decimals, CultureInfo.InvariantCulture);
    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
    public static string Ms(double ms) => ms < 10 ? ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms" : ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
    public static string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}

/// <summary>
/// This machine may be shared: other sessions' builds and test runs compete for the same 2 cores and disk. Every
/// 500 ms this sums the CPU time of processes that are not the suite's (not the runner, not a process it started,
/// not a child of either; kernel threads left out), so each scenario can say how busy the rest of the machine was,
/// and the suite can wait a little for a quiet moment before it measures.
/// </summary>
internal sealed class MachineLoad : IDisposable
{
    private const double TicksPerSecond = 100;   // USER_HZ of /proc/PID/stat on Linux
    private readonly Thread _thread;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<int, long> _last = [];
    private readonly Dictionary<string, long> _byCommand = [];
    private long _foreignTicks;
    private volatile bool _stop;

    public MachineLoad()
    {
        Sample(count: false);
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                Thread.Sleep(500);
                Sample(count: true);
            }
        }) { IsBackground = true, Name = "machine-load" };
        _thread.Start();
    }

    public readonly record struct Mark(long Ticks, TimeSpan At);

    public Mark Now() => new(Interlocked.Read(ref _foreignTicks), _clock.Elapsed);

    /// <summary>Average number of cores other processes kept busy since <paramref name="mark"/>.</summary>
    public double ForeignCoresSince(Mark mark)
    {
        var seconds = (_clock.Elapsed - mark.At).TotalSeconds;
        return seconds <= 0 ? 0 : (Interlocked.Read(ref _foreignTicks) - mark.Ticks) / TicksPerSecond / seconds;
    }

    /// <summary>Waits until other processes use less than <paramref name="cores"/> for 2 s, at most <paramref name="max"/>; returns the last load seen.</summary>
    public async Task<(bool Quiet, double Cores, TimeSpan Waited)> WaitForQuietAsync(double cores, TimeSpan max)
    {
        var waited = Stopwatch.StartNew();
        double load;
        do
        {
            var mark = Now();
            await Task.Delay(2000);
            load = ForeignCoresSince(mark);
            if (load < cores) return (true, load, waited.Elapsed);
        } while (waited.Elapsed < max);
        return (false, load, waited.Elapsed);
    }

    /// <summary>The commands of other processes that used the most CPU during the run.</summary>
    public string Top(int n)
    {
        lock (_byCommand)
            return string.Join(", ", _byCommand.OrderByDescending(kv => kv.Value).Take(n)
                .Select(kv => $"{kv.Key} {kv.Value / TicksPerSecond:0} CPU-s"));
    }

    private void Sample(bool count)
    {
        var self = Environment.ProcessId;
        var ours = Processes.Started();
        var seen = new Dictionary<int, long>();
        long foreign = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            var close = stat.LastIndexOf(')');
            if (close < 0) continue;
            var f = stat[(close + 2)..].Split(' ');
            var ppid = int.Parse(f[1], CultureInfo.InvariantCulture);
            if (pid == 2 || ppid == 2 || pid == self || ppid == self || ours.Contains(pid) || ours.Contains(ppid)) continue;
            var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
            seen[pid] = ticks;
            if (!count) continue;
            var delta = _last.TryGetValue(pid, out var before) ? ticks - before : ticks;
            if (delta <= 0) continue;
            foreign += delta;
            var open = stat.IndexOf('(');
            var command = stat[(open + 1)..close];
            lock (_byCommand) _byCommand[command] = _byCommand.GetValueOrDefault(command) + delta;
        }
        _last.Clear();
        foreach (var (pid, ticks) in seen) _last[pid] = ticks;
        Interlocked.Add(ref _foreignTicks, foreign);
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}
