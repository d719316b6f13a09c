using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace OkrKpi.Benchmarks;

/// <summary>One line of the suite: a scenario's measurement, its reference, the ratio and the verdict.</summary>
/// <param name="Pass">true PASS, false FAIL, null when the scenario has no target (INFO).</param>
/// <param name="Load">How many cores other processes on the machine kept busy: "while measured / while the reference ran".</param>
internal sealed record Outcome(string Id, string Title, string Measured, string Reference, double? Ratio, string Target, bool? Pass, string? Error = null, string Load = "")
{
    public string Verdict => Error is not null ? "ERROR" : Pass switch { true => "PASS", false => "FAIL", null => "INFO" };

    public string Line()
    {
        if (Error is not null) return $"{Id} {Title}  ERROR  {Error}";
        var parts = new List<string> { $"{Id} {Title}", Measured };
        if (Reference.Length > 0) parts.Add(Reference);
        if (Ratio is { } r) parts.Add("ratio " + r.ToString("0.00", CultureInfo.InvariantCulture));
        if (Target.Length > 0) parts.Add("target " + Target);
        parts.Add(Verdict);
        if (Load.Length > 0) parts.Add($"[other processes: {Load} cores]");
        return string.Join("  ", parts);
    }
}

internal sealed class Report(Settings settings)
{
    private readonly List<Outcome> _outcomes = [];
    private readonly List<string> _notes = [];
    private string? _loadTop;

    public void OtherProcesses(string top) => _loadTop = top;

    public void Add(Outcome outcome)
    {
        _outcomes.Add(outcome);
        var line = outcome.Line();
        if (outcome.Pass is false || outcome.Error is not null)
        {
            Console.ForegroundColor = ConsoleColor.Red;
            Console.WriteLine(line);
            Console.ResetColor();
        }
        else Console.WriteLine(line);
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine("   " + note);
    }

    public void Error(string id, string title, Exception e)
    {
        Add(new Outcome(id, title, "", "", null, "", null, e.GetType().Name + ": " + e.Message.Split('\n')[0]));
        Console.WriteLine(e);
    }

    public string Summary()
    {
        int pass = _outcomes.Count(o => o.Verdict == "PASS"), fail = _outcomes.Count(o => o.Verdict == "FAIL"), error = _outcomes.Count(o => o.Verdict == "ERROR");
        return $"targets: {pass} PASS, {fail} FAIL, {error} ERROR";
    }

    public async Task<string> WriteAsync(TimeSpan elapsed)
    {
        var machine = await Machine.DescribeAsync();
        var md = new StringBuilder();
        md.AppendLine("# OkrKpi benchmark results");
        md.AppendLine();
        md.AppendLine($"- date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        foreach (var (name, value) in machine) md.AppendLine($"- {name}: {value}");
        md.AppendLine($"- BENCH_ROWS: {Text.N(settings.Rows)}");
        md.AppendLine($"- suite wall time: {elapsed.TotalMinutes:0.0} min (after the Release publish)");
        md.AppendLine($"- {Summary()}");
        md.AppendLine();
        md.AppendLine("| id | scenario | measured | reference (same run) | ratio | target | result | other load |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var o in _outcomes)
            md.AppendLine($"| {o.Id} | {Cell(o.Title)} | {Cell(o.Error ?? o.Measured)} | {Cell(o.Reference)} | {(o.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "")} | {Cell(o.Target)} | {o.Verdict} | {o.Load} |");
        if (_notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Notes:");
            md.AppendLine();
            foreach (var note in _notes) md.AppendLine("- " + note);
        }
        md.AppendLine();
        md.AppendLine("Ratios: B1, B2, B5 = raw time / API time (higher is better); B6 = API pushes/s / raw rows/s; " +
                      "B7 throughput = dashboard req/s / hello req/s, p99 = dashboard p99 / hello p99; B10 = API time to ready and first answer (median) / hello time to first 200 (median); " +
                      "B4 = (peak - idle) RSS at 3x / at 1x. Logs of every process: artifacts/bench/logs/.");
        md.AppendLine();
        md.AppendLine("Other load: the average number of cores (of " + Environment.ProcessorCount + ") that processes other than the suite's kept busy " +
                      "while the measurement / the reference ran (from /proc/PID/stat every 500 ms). Anything well above 0 means the machine was " +
                      "shared and that number is less trustworthy; before each measured section the suite waits up to 30 s (4 min in all) for a quiet machine.");
        if (_loadTop is { Length: > 0 }) md.AppendLine($"Busiest other processes during the run: {_loadTop}.");
        Directory.CreateDirectory(settings.OutDir);
        var path = Path.Combine(settings.OutDir, "results.md");
        await File.WriteAllTextAsync(path, md.ToString());
        return path;
    }

    private static string Cell(string s) => s.Replace("|", "\\|");
}

internal static class Machine
{
    public static async Task<List<(string, string)>> DescribeAsync()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return
        [
            ("machine", $"nproc {await Try("nproc")}, CPU {cpu}, RAM {long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.0} GiB, kernel {await Try("uname", "-r")}"),
            (".NET", $"{RuntimeInformation.FrameworkDescription} (SDK {await Try("dotnet", "--version")})"),
            ("SQLite", $"{Raw.SqliteVersion()} (Microsoft.Data.Sqlite 10.0.5, API and raw references alike)"),
            ("wrk", (await Try("wrk", "-v")).Split('\n')[0]),
            ("commit", await Try("git", "describe", "--always", "--dirty")),
        ];
    }

    private static async Task<string> Try(string file, params string[] args)
    {
        try
        {
            var (_, output, _) = await Processes.RunAsync(file, args, TimeSpan.FromSeconds(30));
            return output.Trim();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or OperationCanceledException)
        {
            return "?";
        }
    }
}
