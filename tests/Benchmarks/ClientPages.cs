using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OkrKpi.Benchmarks;

/// <summary>
/// B11, the browser client in headless Chromium (Debian's, driven by the client's Playwright): the dashboard of 200 KPIs
/// with sparklines against a static HTML page of the same 200 rows served by the same server; a KPI chart of 5,000
/// points against one of 50; and the JavaScript a first visit downloads before it shows anything.
/// </summary>
internal sealed partial class ClientPages(Settings settings, Report report, MachineLoad load)
{
    private const int Port = 5522, Kpis = 200, Rounds = 7, LongSeries = 5000, ShortSeries = 50;
    private const double DashboardTarget = 3, ChartTarget = 2, InitialJsLimitKb = 160;
    private const string Tag = "b11", LongKey = "b11-long", ShortKey = "b11-short", StaticPage = "b11-static.html";

    private string Work(string name) => Path.Combine(settings.WorkDir, name);

    public async Task RunAsync()
    {
        Console.WriteLine($"-- B11: browser client in headless Chromium: dashboard of {Kpis} KPIs vs a static page of the same rows, chart of {Text.N(LongSeries)} vs {ShortSeries} points ({Rounds} rounds each, fresh browser contexts), initial JavaScript");
        var built = Path.Combine(settings.ClientDir, "dist");
        if (!File.Exists(Path.Combine(built, "index.html")))
        {
            report.Error("B11", "browser client", new FileNotFoundException($"No client build at {built}: make bench builds it (make client/dist/.stamp)."));
            return;
        }

        try
        {
            InitialJavaScript(built);
        }
        catch (Exception e)
        {
            report.Error("B11", "initial JavaScript", e);
        }

        // A copy of the build, so that the static reference page sits beside the client without touching client/dist.
        var dist = Work("b11-dist");
        CopyDirectory(built, dist);
        var db = Work("b11-api.db");
        Measured measured;
        double other;
        try
        {
            await using var api = await Server.StartApiAsync(settings, db, Port, "b11-api", [$"--Client:DistPath={dist}"]);
            await LoadDataAsync(api);
            await File.WriteAllTextAsync(Path.Combine(dist, StaticPage), await StaticPageAsync(api, dist));
            await QuietAsync();
            var mark = load.Now();
            measured = await MeasureAsync(api);
            other = load.ForeignCoresSince(mark);
        }
        catch (Exception e)
        {
            report.Error("B11", "dashboard 200 KPIs", e);
            report.Error("B11", "chart 5,000 points", e);
            return;
        }
        finally
        {
            Files.DeleteDatabase(db);
            Directory.Delete(dist, recursive: true);
        }

        var spa = Median(measured.Dashboard);
        var page = Median(measured.StaticPage);
        report.Add(new Outcome("B11", $"dashboard {Kpis} KPIs with sparklines", $"client {Text.Ms(spa)}", $"static page {Text.Ms(page)}",
            spa / page, $"<= {DashboardTarget:0}", spa / page <= DashboardTarget, Load: $"{other:0.00}"));
        var longMs = Median(measured.LongSeries);
        var shortMs = Median(measured.ShortSeries);
        report.Add(new Outcome("B11", $"KPI chart {Text.N(measured.LongPoints)} points", $"{Text.N(measured.LongPoints)} points {Text.Ms(longMs)}",
            $"{measured.ShortPoints} points {Text.Ms(shortMs)}", longMs / shortMs, $"<= {ChartTarget:0}", longMs / shortMs <= ChartTarget, Load: $"{other:0.00}"));
        string Runs(IEnumerable<double> ms) => string.Join(", ", ms.Select(m => m.ToString("0", CultureInfo.InvariantCulture)));
        report.Note($"B11 rounds in ms from navigation start (median taken): client {Runs(measured.Dashboard)} | static {Runs(measured.StaticPage)} | " +
            $"{measured.LongPoints} points {Runs(measured.LongSeries)} | {measured.ShortPoints} points {Runs(measured.ShortSeries)}.");
    }

    private sealed record Measured(double[] Dashboard, double[] StaticPage, double[] LongSeries, double[] ShortSeries, int LongPoints, int ShortPoints);

    private async Task QuietAsync()
    {
        var (quiet, cores, waited) = await load.WaitForQuietAsync(0.15, TimeSpan.FromSeconds(30));
        if (!quiet) Console.WriteLine($"   the machine is shared: other processes keep {cores:0.00} cores busy after waiting {waited.TotalSeconds:0} s; measuring anyway");
    }

    /// <summary>The entry script and the modules index.html preloads, gzip-compressed as a server would send them.</summary>
    private void InitialJavaScript(string dist)
    {
        var index = File.ReadAllText(Path.Combine(dist, "index.html"));
        var files = EntryScripts().Matches(index).Select(m => m.Groups["path"].Value).Distinct().ToArray();
        if (files.Length == 0) throw new InvalidOperationException("index.html names no module script");
        long raw = 0, gzipped = 0;
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(dist, file.TrimStart('/')));
            raw += bytes.Length;
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true)) gzip.Write(bytes);
            gzipped += buffer.Length;
        }
        var kb = gzipped / 1000.0;
        report.Add(new Outcome("B11", "initial JavaScript (gzip)", $"{kb:0.0} kB gzip ({raw / 1000.0:0.0} kB raw, {files.Length} file{(files.Length == 1 ? "" : "s")})",
            $"limit {InitialJsLimitKb:0} kB", kb / InitialJsLimitKb, $"<= 1 x limit", kb <= InitialJsLimitKb));
    }

    [GeneratedRegex("""<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="(?<path>/assets/[^"]+\.js)""")]
    private static partial Regex EntryScripts();

    /// <summary>200 KPIs tagged b11 with 12 days of values, one KPI with 5,000 days and one with 50.</summary>
    private static async Task LoadDataAsync(Server api)
    {
        var catalogue = new StringBuilder("key,name,valueType,frequency,comparator,target,warning,unit,tags\n");
        for (var i = 0; i < Kpis; i++) catalogue.Append(CultureInfo.InvariantCulture, $"{Key(i)},B11 KPI {i:000},number,daily,atLeast,100,90,units,{Tag}\n");
        catalogue.Append(CultureInfo.InvariantCulture, $"{LongKey},Long series,number,daily,atLeast,100,90,units,\n{ShortKey},Short series,number,daily,atLeast,100,90,units,\n");
        await PostCsvAsync(api, "/api/v1/kpis/import", catalogue.ToString());

        var values = new StringBuilder("kpi,period,value\n");
        for (var i = 0; i < Kpis; i++)
            for (var d = 0; d < 12; d++) values.Append(CultureInfo.InvariantCulture, $"{Key(i)},{BenchData.Period(d)},{BenchData.Value(i, d)}\n");
        // The two series end today (BenchData's newest day is two days back), so that the chart's range of the last
        // N periods holds exactly N values.
        for (var d = 0; d < LongSeries; d++) values.Append(CultureInfo.InvariantCulture, $"{LongKey},{BenchData.Period(d - 2)},{BenchData.Value(LongSeries, d)}\n");
        for (var d = 0; d < ShortSeries; d++) values.Append(CultureInfo.InvariantCulture, $"{ShortKey},{BenchData.Period(d - 2)},{BenchData.Value(ShortSeries, d)}\n");
        await PostCsvAsync(api, "/api/v1/measurements/import", values.ToString());
    }

    private static string Key(int i) => $"b11-{i:000}";

    private static async Task PostCsvAsync(Server api, string path, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await api.Http.PostAsync(api.BaseUrl + path, content);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new WrongAnswerException($"POST {path} -> {(int)response.StatusCode} {body[..Math.Min(body.Length, 400)]}");
    }

    private async Task<Measured> MeasureAsync(Server api)
    {
        var job = new
        {
            client = settings.ClientDir,
            chromium = settings.Chromium,
            @base = api.BaseUrl,
            email = BenchCaller.Email,
            password = BenchCaller.Password,
            rounds = Rounds,
            rows = Kpis,
            dashboard = $"/kpis?tag={Tag}",
            staticPage = "/" + StaticPage,
            longSeries = $"/kpis/{LongKey}?range={LongSeries}",
            shortSeries = $"/kpis/{ShortKey}?range={ShortSeries}",
        };
        var script = Path.Combine(AppContext.BaseDirectory, "Browser", "measure-pages.mjs");
        var (code, output, elapsed) = await Processes.RunAsync("node", [script, JsonSerializer.Serialize(job)], TimeSpan.FromMinutes(10));
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (code != 0 || line is null) throw new InvalidOperationException($"node measure-pages.mjs exited with {code} after {Text.S(elapsed)}: {output[..Math.Min(output.Length, 2000)]}");
        var root = JsonDocument.Parse(line).RootElement;
        double[] Array(string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return new Measured(Array("dashboard"), Array("staticPage"), Array("longSeries"), Array("shortSeries"),
            root.GetProperty("longPoints").GetInt32(), root.GetProperty("shortPoints").GetInt32());
    }

    /// <summary>
    /// The reference: the dashboard's 200 rows as the client renders them (same table, same stylesheet, sparklines as
    /// inline SVG), written once from the API's answer, so the browser only has to load and paint a finished page.
    /// </summary>
    private static async Task<string> StaticPageAsync(Server api, string dist)
    {
        using var response = await api.Http.GetAsync($"{api.BaseUrl}/api/v1/dashboard/kpis?tag={Tag}&sparkline=12&limit={Kpis}");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new WrongAnswerException($"dashboard -> {(int)response.StatusCode} {body}");
        var items = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().ToArray();
        if (items.Length != Kpis) throw new WrongAnswerException($"dashboard -> {items.Length} items, expected {Kpis}");
        var css = Directory.GetFiles(Path.Combine(dist, "assets"), "index-*.css").Select(Path.GetFileName).First();

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>KPI dashboard</title><link rel=\"stylesheet\" href=\"/assets/{css}\"></head><body><main>");
        html.Append("<h1>KPI dashboard</h1><table class=\"dashboard\"><thead><tr><th>KPI</th><th>Latest</th><th>Change</th><th>Target</th><th>Status</th><th>Last 12 periods</th></tr></thead><tbody>");
        foreach (var item in items)
        {
            var key = item.GetProperty("key").GetString();
            var latest = item.GetProperty("latest");
            var change = item.GetProperty("change");
            var status = item.GetProperty("displayStatus").GetString()!;
            var points = item.GetProperty("sparkline").EnumerateArray().Select(p => p.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : (double?)null).ToArray();
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\"><a href=\"/kpis/{key}\">{WebUtility.HtmlEncode(item.GetProperty("name").GetString())}</a></th>");
            html.Append(latest.ValueKind == JsonValueKind.Object
                ? $"<td class=\"latest\"><span class=\"big-number\">{latest.GetProperty("value")} units</span><span class=\"period\">{latest.GetProperty("period").GetString()}</span></td>"
                : "<td class=\"latest\">No value yet</td>");
            html.Append(change.ValueKind == JsonValueKind.Number ? $"<td class=\"change\">{(change.GetDouble() >= 0 ? "▲ +" : "▼ ")}{change}</td>" : "<td class=\"change\">–</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>≥ 100 units</td><td><span class=\"badge badge-{status}\">{status}</span></td><td>{Sparkline(points)}</td></tr>");
        }
        html.Append("</tbody></table></main></body></html>");
        return html.ToString();
    }

    private static string Sparkline(double?[] points)
    {
        var known = points.Where(p => p.HasValue).Select(p => p!.Value).ToArray();
        if (known.Length == 0) return "";
        double min = Math.Min(known.Min(), 100), max = Math.Max(known.Max(), 100);
        if (min == max) { min -= 1; max += 1; }
        double X(int i) => 3 + i * 114.0 / Math.Max(1, points.Length - 1);
        double Y(double v) => 29 - (v - min) * 26 / (max - min);
        var path = new StringBuilder();
        for (var i = 0; i < points.Length; i++)
        {
            if (points[i] is not { } v) continue;
            path.Append(CultureInfo.InvariantCulture, $"{(path.Length == 0 || points[i - 1] is null ? "M" : "L")}{X(i):0.0},{Y(v):0.0}");
        }
        return $"<svg class=\"sparkline\" width=\"120\" height=\"32\" viewBox=\"0 0 120 32\" role=\"img\"><line class=\"sparkline-target\" x1=\"3\" x2=\"117\" y1=\"{Y(100).ToString("0.0", CultureInfo.InvariantCulture)}\" y2=\"{Y(100).ToString("0.0", CultureInfo.InvariantCulture)}\"/><path class=\"sparkline-line\" d=\"{path}\"/></svg>";
    }

    private static double Median(double[] xs)
    {
        var o = xs.Order().ToArray();
        return o.Length % 2 == 1 ? o[o.Length / 2] : (o[o.Length / 2 - 1] + o[o.Length / 2]) / 2;
    }

    private static void CopyDirectory(string from, string to)
    {
        if (Directory.Exists(to)) Directory.Delete(to, recursive: true);
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(dir.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(file, file.Replace(from, to), overwrite: true);
    }
}
