using System.Diagnostics;
using System.Globalization;
using OkrKpi.Benchmarks;

// `make bench`: each scenario of the published API (Release) side by side with a reference taken in the same run.
// It is a measurement: the exit code is 0 even when a target fails; failures are printed in red and marked FAIL.
var settings = Settings.Parse(args);
Directory.CreateDirectory(settings.WorkDir);
Directory.CreateDirectory(settings.LogDir);
foreach (var file in Directory.GetFiles(settings.WorkDir)) File.Delete(file);
foreach (var file in Directory.GetFiles(settings.LogDir)) File.Delete(file);

var report = new Report(settings);
using var load = new MachineLoad();
var suite = Stopwatch.StartNew();
Console.WriteLine($"OkrKpi benchmarks: BENCH_ROWS={Text.N(settings.Rows)}, API {settings.ApiDll}, work {settings.WorkDir}");
try
{
    var scenarios = new Scenarios(settings, report, load);
    if (settings.Runs("B1")) await scenarios.ImportAsync();        // B1, B2, B4
    if (settings.Runs("B5")) await scenarios.JsonBatchesAsync();   // B5
    if (settings.Runs("B6")) await scenarios.SinglePushesAsync();  // B6
    if (settings.Runs("B14")) await scenarios.PushesWithWebhooksAsync();  // B14 (compared with B6 of this run)
    if (settings.Runs("B7")) await scenarios.DashboardAsync();     // B7
    if (settings.Runs("B10")) await scenarios.TimeToReadyAsync();   // B10 (on B7's database when B7 ran)
    if (settings.Runs("B11")) await new ClientPages(settings, report, load).RunAsync();  // B11
    if (settings.Runs("B12")) await scenarios.ComputedAsync();      // B12
    if (settings.Runs("B13")) await scenarios.EventsAsync();        // B13
}
catch (Exception e)
{
    Console.WriteLine("The suite stopped early: " + e);
    report.Note("The suite stopped early: " + e.Message.Split('\n')[0]);
}
finally
{
    Processes.KillAll();
    suite.Stop();
}

foreach (var file in Directory.GetFiles(settings.WorkDir)) File.Delete(file);
report.OtherProcesses(load.Top(4));
var path = await report.WriteAsync(suite.Elapsed);
Console.WriteLine();
Console.WriteLine($"{report.Summary()}; suite took {suite.Elapsed.TotalMinutes:0.0} min; results in {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
return 0;

internal sealed class Settings
{
    public required long Rows { get; init; }
    public required string OutDir { get; init; }

    /// <summary>Scenario groups to run (B1 = B1, B2 and B4; B5; B6; B7; B10; B11; B12; B13; B14, which needs B6); empty = all.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>();

    public bool Runs(string group) => Only.Count == 0 || Only.Contains(group);
    public string ApiDll => Path.Combine(OutDir, "api", "OkrKpi.Api.dll");
    public string HelloDll => Path.Combine(OutDir, "hello", "HelloWorld.dll");
    public string WorkDir => Path.Combine(OutDir, "work");

    /// <summary>The browser client's folder: its build (dist/) and its node_modules (Playwright), for B11.</summary>
    public string ClientDir { get; init; } = Path.GetFullPath("client");

    public string Chromium => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";
    public string LogDir => Path.Combine(OutDir, "logs");

    /// <summary>Days per KPI for 1,000 KPIs to make <see cref="Rows"/> rows.</summary>
    public int Days => (int)Math.Max(1, Rows / 1000);

    /// <summary>How much of the fixed-size scenarios (B5, B6) to run: 1 at the default BENCH_ROWS, less for a quick run.</summary>
    public double Scale => Math.Min(1.0, Rows / 1_000_000.0);

    public static Settings Parse(string[] args)
    {
        long rows = 1_000_000;
        var outDir = "artifacts/bench";
        var client = "client";
        var only = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
            switch (args[i])
            {
                case "--rows": rows = long.Parse(args[++i], NumberStyles.AllowThousands, CultureInfo.InvariantCulture); break;
                case "--out": outDir = args[++i]; break;
                case "--client": client = args[++i]; break;
                case "--only":
                    foreach (var group in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        only.Add(group is "B2" or "b2" or "B4" or "b4" ? "B1" : group.ToUpperInvariant());
                    break;
                default: throw new ArgumentException($"Unknown argument {args[i]}. Usage: Benchmarks [--rows N] [--only B1,B5,B6,B7,B10,B11,B12,B13,B14] [--out artifacts/bench] [--client client]");
            }
        if (rows < 1000) throw new ArgumentException("--rows must be at least 1000 (1,000 KPIs, one day each).");
        return new Settings { Rows = rows / 1000 * 1000, OutDir = Path.GetFullPath(outDir), Only = only, ClientDir = Path.GetFullPath(client) };
    }
}
