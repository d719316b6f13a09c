using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OkrKpi.Benchmarks;

/// <summary>A wrong answer from the API (status, counts): reported with the request and the response, never hidden.</summary>
internal sealed class WrongAnswerException(string message) : Exception(message);

internal sealed class Scenarios(Settings settings, Report report, MachineLoad load)
{
    private const int PortImport = 5511, PortImport3X = 5514, PortBatches = 5515, PortPushes = 5516, PortDashboard = 5517, PortHello = 5518,
        PortColdApi = 5520, PortColdHello = 5521, PortComputedReference = 5522, PortComputed = 5523, PortReceiver = 5524, PortEvents = 5525;

    private const double B1Target = 0.85, B4DeltaLimitMb = 64, B4Growth = 1.10, B5Target = 0.85, B6Target = 0.5,
        B7ThroughputTarget = 0.06, B7P99Target = 12, B10Target = 2.5, B12Target = 0.5, B13Target = 0.5, B14Target = 0.8;

    private const int WrkRounds = 3;

    private const int WarmUpBatchesPerWorker = 32, WarmUpPushes = 4000;

    private string? _coldStartDb;

    private string Work(string name) => Path.Combine(settings.WorkDir, name);

    // All the waiting for a quiet machine the suite may do, so that it ends well within its 15 minutes.
    private TimeSpan _quietBudget = TimeSpan.FromMinutes(4);

    /// <summary>
    /// Before each measured section: wait (at most 30 s, within the suite's budget) until other processes have left
    /// the machine nearly idle (under 0.15 cores for 2 s). A shared machine cannot be made quiet; this only avoids
    /// measuring in the middle of another session's build.
    /// </summary>
    private async Task QuietAsync()
    {
        if (_quietBudget <= TimeSpan.Zero) return;
        var max = _quietBudget < TimeSpan.FromSeconds(30) ? _quietBudget : TimeSpan.FromSeconds(30);
        var (quiet, cores, waited) = await load.WaitForQuietAsync(0.15, max);
        _quietBudget -= waited;
        if (!quiet) Console.WriteLine($"   the machine is shared: other processes keep {cores:0.00} cores busy after waiting {waited.TotalSeconds:0} s; measuring anyway");
        else if (waited > TimeSpan.FromSeconds(3)) Console.WriteLine($"   waited {waited.TotalSeconds:0} s for other processes to quieten");
    }

    /// <summary>Waits for a quiet machine, runs a measured section and returns how many cores other processes used meanwhile.</summary>
    private async Task<(T Result, double Other)> Watched<T>(Func<Task<T>> section)
    {
        await QuietAsync();
        var mark = load.Now();
        var result = await section();
        return (result, load.ForeignCoresSince(mark));
    }

    private static string Loads(double measured, double reference) => $"{measured:0.00} / {reference:0.00}";

    // ---------------------------------------------------------------- B1, B2, B4: CSV import

    public async Task ImportAsync()
    {
        var days = settings.Days;
        var rows = 1000L * days;
        var title1 = $"csv import {Text.N(rows)} rows";
        var csv = Work("import-1x.csv");
        BenchData.WriteCsv(csv, 0, 1000, days);
        Console.WriteLine($"-- B1/B2/B4: {Text.N(rows)} rows ({new FileInfo(csv).Length / 1024 / 1024} MiB CSV), 1,000 KPIs x {days} days");

        string[] ids;
        TimeSpan import1, import2;
        long idle1, peak1;
        int samples1;
        double other1, other2, otherRaw = 0;
        await QuietAsync();
        try
        {
            var db = Work("b1-api.db");
            await using var api = await Server.StartApiAsync(settings, db, PortImport, "b1-api");
            ids = await CreateKpisAsync(api, 0, 1000);
            idle1 = api.RssBytes();
            ImportResult first;
            using (var poller = new Rss.Poller(api.Process.Id))
            {
                (first, other1) = await Watched(() => CurlImportAsync(api, csv));
                peak1 = Math.Max(poller.Peak, api.RssBytes());
                samples1 = poller.Samples;
            }
            first.Expect(rows, created: rows, unchanged: 0);
            import1 = first.Elapsed;

            (var second, other2) = await Watched(() => CurlImportAsync(api, csv));
            second.Expect(rows, created: 0, unchanged: rows);
            import2 = second.Elapsed;
        }
        catch (Exception e)
        {
            report.Error("B1", title1, e);
            report.Error("B2", "csv re-import unchanged", e);
            report.Error("B4", "import memory 1x", e);
            File.Delete(csv);
            return;
        }
        Files.DeleteDatabase(Work("b1-api.db"));

        TimeSpan raw;
        try
        {
            var rawDb = await Raw.FreshDatabaseAsync(settings, "b1-raw");
            using (var connection = Raw.Open(rawDb))
            {
                Raw.InsertKpis(connection, ids, 0);
                var set = RowSet.KpiMajor(ids, 0, 1000, days);
                (raw, otherRaw) = await Watched(() => Task.FromResult(Raw.InsertAllInOneTransaction(connection, set, "Import")));
                var stored = Raw.Count(connection, "SELECT COUNT(*) FROM KpiMeasurement");
                if (stored != rows) throw new InvalidOperationException($"raw reference stored {stored} rows, expected {rows}");
            }
            Files.DeleteDatabase(rawDb);
        }
        catch (Exception e)
        {
            report.Error("B1", title1, e);
            report.Error("B2", "csv re-import unchanged", e);
            raw = TimeSpan.Zero;
        }

        if (raw > TimeSpan.Zero)
        {
            var ratio1 = raw / import1;
            report.Add(new Outcome("B1", title1, $"import {Rate(rows, import1)} rows/s ({Text.S(import1)})", $"raw {Rate(rows, raw)} rows/s ({Text.S(raw)})",
                ratio1, $">= {B1Target:0.00}", ratio1 >= B1Target, Load: Loads(other1, otherRaw)));
            report.Add(new Outcome("B2", $"csv re-import {Text.N(rows)} rows unchanged", $"re-import {Rate(rows, import2)} rows/s ({Text.S(import2)})",
                $"raw insert {Rate(rows, raw)} rows/s", raw / import2, "none (reported)", null, Load: Loads(other2, otherRaw)));
        }

        var delta1 = peak1 - idle1;
        report.Add(new Outcome("B4", "import memory 1x", $"idle {Text.Mb(idle1)}  peak {Text.Mb(peak1)}  delta {Text.Mb(delta1)}", $"{samples1} samples", null,
            $"delta <= {B4DeltaLimitMb} MB", delta1 <= B4DeltaLimitMb * 1024 * 1024, Load: $"{other1:0.00}"));

        // B4 at 3x: a fresh database and process, the same KPIs, three times the days.
        var csv3 = Work("import-3x.csv");
        try
        {
            File.Delete(csv);
            var rows3 = BenchData.WriteCsv(csv3, 0, 1000, 3 * days);
            var db = Work("b4-api.db");
            await using var api = await Server.StartApiAsync(settings, db, PortImport3X, "b4-api-3x");
            await CreateKpisAsync(api, 0, 1000);
            var idle3 = api.RssBytes();
            long peak3;
            int samples3;
            ImportResult third;
            double other3;
            using (var poller = new Rss.Poller(api.Process.Id))
            {
                (third, other3) = await Watched(() => CurlImportAsync(api, csv3));
                peak3 = Math.Max(poller.Peak, api.RssBytes());
                samples3 = poller.Samples;
            }
            third.Expect(rows3, created: rows3, unchanged: 0);
            var delta3 = peak3 - idle3;
            var growth = delta1 > 0 ? (double)delta3 / delta1 : double.PositiveInfinity;
            report.Add(new Outcome("B4", $"import memory 3x ({Text.N(rows3)} rows)", $"idle {Text.Mb(idle3)}  peak {Text.Mb(peak3)}  delta {Text.Mb(delta3)}",
                $"1x delta {Text.Mb(delta1)}", growth, $"<= {B4Growth:0.00} x 1x delta", growth <= B4Growth, Load: Loads(other3, other1)));
            report.Note($"B4 3x import took {Text.S(third.Elapsed)} ({Rate(rows3, third.Elapsed)} rows/s); RSS polled every 20 ms ({samples3} samples).");
        }
        catch (Exception e)
        {
            report.Error("B4", "import memory 3x", e);
        }
        finally
        {
            File.Delete(csv3);
            Files.DeleteDatabase(Work("b4-api.db"));
        }
    }

    // ---------------------------------------------------------------- B5: JSON batches of 1,000

    public async Task JsonBatchesAsync()
    {
        const int perRequest = 1000, workers = 4;
        var requests = (int)Math.Clamp(Math.Round(500 * settings.Scale), 8, 500);
        var values = requests * perRequest;
        var title = $"json batches {requests} x {perRequest}";
        Console.WriteLine($"-- B5: {requests} requests of {perRequest} values (KPIs bench-1000..{1000 + requests - 1}), {workers} workers");
        string[] ids;
        TimeSpan apiTime;
        double otherApi;
        await QuietAsync();
        try
        {
            await using var api = await Server.StartApiAsync(settings, Work("b5-api.db"), PortBatches, "b5-api");
            ids = await CreateKpisAsync(api, 1000, 1000);
            var bodies = Enumerable.Range(0, requests).Select(r => BatchBody(1000 + r, 0, perRequest)).ToArray();

            // Warm-up on KPIs the measured requests do not touch, in the measured shape (full batches, all workers at
            // once), in two rounds, each followed by a wait until the server's background JIT has settled. B5 is a
            // throughput target: 200 batches take 2-3 s, and without a warm-up about half of that went to the JIT's
            // tiering of the batch path (measured: the same run with DOTNET_TieredCompilation=0 was 0.85 instead of
            // 0.50). After one round, a profile of the measured batches still showed 15-20 % of the API's CPU in the
            // JIT: methods run once per request are counted for promotion only once new methods stop appearing, so
            // they reached optimised code during the measured run. Start-up and first-request costs are B10's.
            var warmUps = Enumerable.Range(2000 - workers * WarmUpBatchesPerWorker, workers * WarmUpBatchesPerWorker).ToArray();
            var settled = await WarmUpInTwoRoundsAsync(api, warmUps, workers, async kpi =>
            {
                var (warmStatus, warmBody) = await PostJsonAsync(api.Http, $"{api.BaseUrl}/api/v1/kpis/{BenchData.Key(kpi)}/measurements/batch", BatchBody(kpi, 0, perRequest));
                if (warmStatus != 200) throw new WrongAnswerException($"warm-up batch: {warmStatus} {Truncate(Text.Utf8(warmBody))}");
            });
            report.Note($"B5 warm-up: two rounds of {warmUps.Length / 2} batches of {perRequest} (KPIs {BenchData.Key(warmUps[0])}..{BenchData.Key(warmUps[^1])}), " +
                        $"each followed by a wait until the API was idle ({settled}).");

            var answers = new (int Status, byte[] Body)[requests];
            var next = -1;
            await QuietAsync();
            var mark = load.Now();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) < requests)
                    answers[n] = await PostJsonAsync(api.Http, $"{api.BaseUrl}/api/v1/kpis/{BenchData.Key(1000 + n)}/measurements/batch", bodies[n]);
            })));
            watch.Stop();
            otherApi = load.ForeignCoresSince(mark);
            apiTime = watch.Elapsed;

            for (var n = 0; n < requests; n++)
            {
                var (status, body) = answers[n];
                var created = status == 200 ? JsonDocument.Parse(body).RootElement.GetProperty("created").GetInt32() : -1;
                if (status != 200 || created != perRequest)
                    throw new WrongAnswerException($"POST /api/v1/kpis/{BenchData.Key(1000 + n)}/measurements/batch ({perRequest} new values) answered {status} " +
                                                   $"created={created}: {Truncate(Text.Utf8(body))} ({answers.Count(a => a.Status != 200)} of {requests} not 200)");
            }
        }
        catch (Exception e)
        {
            report.Error("B5", title, e);
            return;
        }
        finally
        {
            Files.DeleteDatabase(Work("b5-api.db"));
        }

        try
        {
            var rawDb = await Raw.FreshDatabaseAsync(settings, "b5-raw");
            TimeSpan raw;
            double otherRaw;
            using (var connection = Raw.Open(rawDb))
            {
                Raw.InsertKpis(connection, ids, 1000);
                var set = RowSet.KpiMajor(ids, 1000, requests, perRequest);
                (raw, otherRaw) = await Watched(() => Task.FromResult(Raw.UpsertInTransactionsOf(connection, set, perRequest, "Api")));
            }
            Files.DeleteDatabase(rawDb);
            var ratio = raw / apiTime;
            report.Add(new Outcome("B5", title, $"api {Rate(values, apiTime)} values/s ({Text.S(apiTime)}, {workers} workers)",
                $"raw upsert {Rate(values, raw)} rows/s ({Text.S(raw)}, 1 thread, {perRequest}/txn)", ratio, $">= {B5Target:0.00}", ratio >= B5Target, Load: Loads(otherApi, otherRaw)));
        }
        catch (Exception e)
        {
            report.Error("B5", title, e);
        }
    }

    // ---------------------------------------------------------------- B6: single pushes at 64 connections

    /// <summary>B6's API figures, kept for B14 (pushes with subscriptions against pushes without, in the same run).</summary>
    private PushLoad? _b6;

    private sealed record PushLoad(string[] Ids, int Done, double Rate, double P50, double P99, double OtherCores);

    public async Task SinglePushesAsync()
    {
        const int connections = 64, firstKpi = 1200, kpis = 800;
        var rawRows = (int)Math.Clamp(Math.Round(5_000 * settings.Scale), 1000, 5_000);
        var title = $"single pushes x{connections} connections";

        PushLoad pushed;
        try
        {
            pushed = _b6 = await PushLoadAsync("B6", "b6-api", PortPushes, connections, firstKpi, kpis);
        }
        catch (Exception e)
        {
            report.Error("B6", title, e);
            return;
        }
        var (ids, done, apiRate, p50, p99, otherApi) = pushed;

        try
        {
            var rawDb = await Raw.FreshDatabaseAsync(settings, "b6-raw");
            int rawDone;
            TimeSpan rawTime;
            double otherRaw;
            using (var connection = Raw.Open(rawDb))
            {
                Raw.InsertKpis(connection, ids, 1000);
                var set = new RowSet(rawRows);
                for (var p = 0; p < rawRows; p++)
                {
                    var kpi = firstKpi + p % kpis;
                    set.Add(ids[kpi - 1000], BenchData.PeriodStored(p / kpis), BenchData.Value(kpi, p / kpis));
                }
                ((rawDone, rawTime), otherRaw) = await Watched(() => Task.FromResult(Raw.OneRowTransactions(connection, set, TimeSpan.FromSeconds(15), "Api")));
            }
            Files.DeleteDatabase(rawDb);
            var rawRate = rawDone / rawTime.TotalSeconds;
            var ratio = apiRate / rawRate;
            report.Add(new Outcome("B6", $"single pushes {Text.N(done)} x{connections} conn", $"api {Text.N(apiRate)} pushes/s  p50 {Text.Ms(p50)}  p99 {Text.Ms(p99)}",
                $"raw {Text.N(rawRate)} rows/s ({Text.N(rawDone)} one-row txns)", ratio, $">= {B6Target:0.00}", ratio >= B6Target, Load: Loads(otherApi, otherRaw)));
        }
        catch (Exception e)
        {
            report.Error("B6", title, e);
        }
    }

    /// <summary>
    /// Single pushes at <paramref name="connections"/> connections against a fresh API with <paramref name="extra"/>
    /// settings, after a warm-up: <paramref name="arrange"/> runs between the warm-up and the measured pushes, and
    /// <paramref name="drain"/> (given the pushes stored) after them, while the API still runs. Throws on a wrong answer.
    /// </summary>
    private async Task<PushLoad> PushLoadAsync(string id, string name, int port, int connections, int firstKpi, int kpis,
        IEnumerable<string>? extra = null, Func<Server, Task>? arrange = null, Func<int, Task>? drain = null)
    {
        var pushes = (int)Math.Clamp(Math.Round(15_000 * settings.Scale), 2000, 15_000);
        var budget = TimeSpan.FromSeconds(20);
        Console.WriteLine($"-- {id}: up to {Text.N(pushes)} pushes (or {budget.TotalSeconds:0} s) over bench-{firstKpi}..{firstKpi + kpis - 1}, {connections} connections");

        await QuietAsync();
        try
        {
            await using var api = await Server.StartApiAsync(settings, Work(name + ".db"), port, name, extra);
            var ids = await CreateKpisAsync(api, 1000, 1000);
            var bodies = Enumerable.Range(0, pushes).Select(p => PushBody(firstKpi + p % kpis, p / kpis)).ToArray();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                Timeout = TimeSpan.FromSeconds(60),
            };
            http.DefaultRequestHeaders.Authorization = new("Bearer", api.Token);

            // Warm-up, on KPIs the measured pushes do not touch: a few pushes one by one (JIT), then one per connection
            // at once (opens the 64 connections). A cold process can answer 503 (write turn not had within the busy
            // timeout) to some of the concurrent ones; that is noted, not fatal.
            for (var w = 0; w < 8; w++)
            {
                var (status, body) = await PostJsonAsync(http, $"{api.BaseUrl}/api/v1/kpis/{BenchData.Key(1100 + w)}/measurements", PushBody(1100 + w, 0));
                if (status != 201) throw new WrongAnswerException($"warm-up push {w}: {status} {Truncate(Text.Utf8(body))}");
            }
            var warm = await Task.WhenAll(Enumerable.Range(0, connections).Select(w =>
                PostJsonAsync(http, $"{api.BaseUrl}/api/v1/kpis/{BenchData.Key(1000 + w)}/measurements", PushBody(1000 + w, 0))));
            if (warm.FirstOrDefault(a => a.Status is not (201 or 503)) is { Body: not null } badWarm)
                throw new WrongAnswerException($"warm-up push: {badWarm.Status} {Truncate(Text.Utf8(badWarm.Body))}");
            if (warm.Count(a => a.Status == 503) is > 0 and var warm503)
                report.Note($"{id} warm-up: {warm503} of {connections} simultaneous first pushes answered 503 (database busy: no write turn within Database:BusyTimeoutSeconds).");

            // Then the measured shape (all connections at once), in two rounds each followed by a wait until the server's
            // JIT has settled, as for B5: a profile of the measured pushes after only the pushes above spent over a
            // third of the API's CPU in tier-up compiles.
            var warmUps = Enumerable.Range(0, WarmUpPushes).Select(w => (Kpi: 1000 + w % 200, Day: 1 + w / 200)).ToArray();
            var settled = await WarmUpInTwoRoundsAsync(api, warmUps, connections, async push =>
            {
                var (status, body) = await PostJsonAsync(http, $"{api.BaseUrl}/api/v1/kpis/{BenchData.Key(push.Kpi)}/measurements", PushBody(push.Kpi, push.Day));
                if (status is not (201 or 503)) throw new WrongAnswerException($"warm-up push: {status} {Truncate(Text.Utf8(body))}");
            });
            report.Note($"{id} warm-up: two rounds of {Text.N(WarmUpPushes / 2)} pushes over {connections} connections (KPIs {BenchData.Key(1000)}..{BenchData.Key(1199)}), " +
                        $"each followed by a wait until the API was idle ({settled}).");

            var latencies = new double[pushes];
            var statuses = new int[pushes];
            var bodiesBack = new byte[]?[pushes];
            var next = -1;
            if (arrange is not null) await arrange(api);
            await QuietAsync();
            var mark = load.Now();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
            {
                int n;
                while (watch.Elapsed < budget && (n = Interlocked.Increment(ref next)) < pushes)
                {
                    var start = Stopwatch.GetTimestamp();
                    var (status, body) = await PostJsonAsync(http, $"{api.BaseUrl}/api/v1/kpis/{BenchData.Key(firstKpi + n % kpis)}/measurements", bodies[n]);
                    latencies[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    statuses[n] = status;
                    if (status != 201) bodiesBack[n] = body;
                }
            })));
            watch.Stop();
            var otherApi = load.ForeignCoresSince(mark);
            var sent = statuses.Count(s => s != 0);
            var done = statuses.Count(s => s == 201);
            var apiRate = done / watch.Elapsed.TotalSeconds;
            var sorted = latencies.Take(sent).Order().ToArray();
            var p50 = Percentile(sorted, 0.50);
            var p99 = Percentile(sorted, 0.99);
            if (drain is not null) await drain(done);

            // 503 + Retry-After is the API's documented answer when a writer gets no turn within the busy timeout: counted
            // (only 201s count as pushes), shown with an example, not fatal. Anything else that is not 201 is a wrong answer.
            var busy = Enumerable.Range(0, sent).Where(n => statuses[n] == 503).ToList();
            if (busy.Count > 0)
            {
                var n = busy[0];
                report.Note($"{id}: {busy.Count} of {Text.N(sent)} pushes answered 503 (not counted as pushes); e.g. POST /api/v1/kpis/{BenchData.Key(firstKpi + n % kpis)}/measurements " +
                            $"{Text.Utf8(bodies[n])} -> 503 {Truncate(Text.Utf8(bodiesBack[n] ?? []), 300)}");
            }
            var failed = Enumerable.Range(0, sent).Where(n => statuses[n] is not (201 or 503)).ToList();
            if (failed.Count > 0)
            {
                var n = failed[0];
                var byStatus = string.Join(", ", failed.GroupBy(f => statuses[f]).Select(g => $"{g.Count()} x {g.Key}"));
                throw new WrongAnswerException($"{failed.Count} of {sent} pushes were not 201 ({byStatus}); first: POST /api/v1/kpis/{BenchData.Key(firstKpi + n % kpis)}/measurements " +
                                               $"{Text.Utf8(bodies[n])} -> {statuses[n]} {Truncate(Text.Utf8(bodiesBack[n] ?? []))}");
            }
            report.Note($"{id} API: {Text.N(done)} pushes stored (201) of {Text.N(sent)} sent in {Text.S(watch.Elapsed)}, latency over all sent p50 {Text.Ms(p50)}, p99 {Text.Ms(p99)}, max {Text.Ms(sorted[^1])}.");
            return new PushLoad(ids, done, apiRate, p50, p99, otherApi);
        }
        finally
        {
            Files.DeleteDatabase(Work(name + ".db"));
        }
    }


    // ---------------------------------------------------------------- B13: events, one at a time and in batches

    /// <summary>
    /// B13: single events (no occurredAt: now; each with an eventId) over 64 connections to 200 daily KPIs that count
    /// their events, against B6's reference (raw one-row transactions); then 100,000 events in batches of the largest
    /// size allowed, against B1's reference (raw rows in one transaction). Each event is an insert, a count, the
    /// period's value replaced (its old value into the history) and an audit entry, so one event writes more than one pushed value.
    /// </summary>
    public async Task EventsAsync()
    {
        const int connections = 64, kpis = 200, batchSize = 10_000, batchEvents = 100_000;
        var events = (int)Math.Clamp(Math.Round(15_000 * settings.Scale), 2000, 15_000);
        var budget = TimeSpan.FromSeconds(20);
        var title = $"single events x{connections} connections";
        var batchTitle = $"{Text.N(batchEvents)} events in batches of {Text.N(batchSize)}";
        Console.WriteLine($"-- B13: up to {Text.N(events)} single events (or {budget.TotalSeconds:0} s) over {kpis} KPIs, {connections} connections; {batchTitle}");

        string[] ids;
        double apiRate, p50, p99, otherApi, batchRate, otherBatch;
        int done;
        TimeSpan batchTime;
        await QuietAsync();
        try
        {
            await using var api = await Server.StartApiAsync(settings, Work("b13-api.db"), PortEvents, "b13-api");
            ids = new string[kpis];
            for (var k = 0; k < kpis; k++)
            {
                var (status, body) = await PostJsonAsync(api.Http, api.BaseUrl + "/api/v1/kpis", Encoding.UTF8.GetBytes(EventKpiJson(2000 + k)));
                if (status != 201) throw new WrongAnswerException($"POST /api/v1/kpis {EventKpiJson(2000 + k)} -> {status} {Truncate(Text.Utf8(body))}");
                ids[k] = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            }
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                Timeout = TimeSpan.FromSeconds(60),
            };
            http.DefaultRequestHeaders.Authorization = new("Bearer", api.Token);
            string Url(int n) => $"{api.BaseUrl}/api/v1/kpis/{BenchData.Key(2000 + n % kpis)}/events";

            var warmUps = Enumerable.Range(0, WarmUpPushes).ToArray();
            var settled = await WarmUpInTwoRoundsAsync(api, warmUps, connections, async w =>
            {
                var (status, body) = await PostJsonAsync(http, Url(w), EventBody($"warm-{w}"));
                if (status is not (201 or 503)) throw new WrongAnswerException($"warm-up event: {status} {Truncate(Text.Utf8(body))}");
            });
            report.Note($"B13 warm-up: two rounds of {Text.N(WarmUpPushes / 2)} events over {connections} connections, each followed by a wait until the API was idle ({settled}).");

            var latencies = new double[events];
            var statuses = new int[events];
            var next = -1;
            await QuietAsync();
            var mark = load.Now();
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
            {
                int n;
                while (watch.Elapsed < budget && (n = Interlocked.Increment(ref next)) < events)
                {
                    var start = Stopwatch.GetTimestamp();
                    var (status, body) = await PostJsonAsync(http, Url(n), EventBody($"event-{n}"));
                    latencies[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    statuses[n] = status;
                    if (status is not (201 or 503)) throw new WrongAnswerException($"event {n}: {status} {Truncate(Text.Utf8(body))}");
                }
            })));
            watch.Stop();
            otherApi = load.ForeignCoresSince(mark);
            var sent = statuses.Count(s => s != 0);
            done = statuses.Count(s => s == 201);
            if (sent > done) report.Note($"B13: {sent - done} of {Text.N(sent)} events answered 503 (not counted).");
            apiRate = done / watch.Elapsed.TotalSeconds;
            var sorted = latencies.Take(sent).Order().ToArray();
            (p50, p99) = (Percentile(sorted, 0.50), Percentile(sorted, 0.99));
            report.Note($"B13 API: {Text.N(done)} events recorded (201) of {Text.N(sent)} sent in {Text.S(watch.Elapsed)}, p50 {Text.Ms(p50)}, p99 {Text.Ms(p99)}.");

            var batches = Enumerable.Range(0, batchEvents / batchSize).Select(b => BatchOfEvents(b, batchSize, kpis)).ToArray();
            await QuietAsync();
            mark = load.Now();
            var batchWatch = Stopwatch.StartNew();
            foreach (var batch in batches)
            {
                var (status, body) = await PostJsonAsync(api.Http, api.BaseUrl + "/api/v1/events", batch);
                if (status != 200) throw new WrongAnswerException($"POST /api/v1/events ({Text.N(batchSize)} events) -> {status} {Truncate(Text.Utf8(body))}");
            }
            batchWatch.Stop();
            otherBatch = load.ForeignCoresSince(mark);
            batchTime = batchWatch.Elapsed;
            batchRate = batchEvents / batchTime.TotalSeconds;
        }
        catch (Exception e)
        {
            report.Error("B13", title, e);
            Files.DeleteDatabase(Work("b13-api.db"));
            return;
        }
        Files.DeleteDatabase(Work("b13-api.db"));

        try
        {
            var rawDb = await Raw.FreshDatabaseAsync(settings, "b13-raw");
            double rawRate, otherRaw, rawBulkRate, otherRawBulk;
            int rawDone;
            using (var connection = Raw.Open(rawDb))
            {
                Raw.InsertKpis(connection, ids, 2000);
                var rawRows = (int)Math.Clamp(Math.Round(5_000 * settings.Scale), 1000, 5_000);
                var set = new RowSet(rawRows);
                for (var p = 0; p < rawRows; p++) set.Add(ids[p % kpis], BenchData.PeriodStored(p / kpis), BenchData.Value(p % kpis, p / kpis));
                TimeSpan rawTime;
                ((rawDone, rawTime), otherRaw) = await Watched(() => Task.FromResult(Raw.OneRowTransactions(connection, set, TimeSpan.FromSeconds(15), "Api")));
                rawRate = rawDone / rawTime.TotalSeconds;

                var bulk = new RowSet(batchEvents);
                for (var p = 0; p < batchEvents; p++) bulk.Add(ids[p % kpis], BenchData.PeriodStored(100 + p / kpis), BenchData.Value(p % kpis, p / kpis));
                TimeSpan bulkTime;
                (bulkTime, otherRawBulk) = await Watched(() => Task.FromResult(Raw.InsertAllInOneTransaction(connection, bulk, "Import")));
                rawBulkRate = batchEvents / bulkTime.TotalSeconds;
            }
            Files.DeleteDatabase(rawDb);
            var ratio = apiRate / rawRate;
            report.Add(new Outcome("B13", $"single events {Text.N(done)} x{connections} conn", $"api {Text.N(apiRate)} events/s  p50 {Text.Ms(p50)}  p99 {Text.Ms(p99)}",
                $"raw {Text.N(rawRate)} rows/s ({Text.N(rawDone)} one-row txns)", ratio, $">= {B13Target:0.00}", ratio >= B13Target, Load: Loads(otherApi, otherRaw)));
            report.Add(new Outcome("B13", batchTitle, $"api {Text.N(batchRate)} events/s ({Text.S(batchTime)})", $"raw {Text.N(rawBulkRate)} rows/s in one transaction (B1's reference)",
                batchRate / rawBulkRate, "none (reported)", null, Load: Loads(otherBatch, otherRawBulk)));
        }
        catch (Exception e)
        {
            report.Error("B13", title, e);
        }
    }

    private static string EventKpiJson(int i) =>
        "{\"key\":\"" + BenchData.Key(i) + "\",\"name\":\"Bench events " + i.ToString(CultureInfo.InvariantCulture) +
        "\",\"valueType\":\"number\",\"frequency\":\"daily\",\"fedBy\":\"events\",\"aggregation\":\"count\",\"target\":{\"comparator\":\"atLeast\",\"value\":1}}";

    private static byte[] EventBody(string eventId) => Encoding.UTF8.GetBytes($$"""{"eventId":"{{eventId}}"}""");

    /// <summary>One batch of the bulk part: events of one past day (a backfill, so late events), spread over the KPIs.</summary>
    private static byte[] BatchOfEvents(int batch, int size, int kpis)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("items");
            for (var i = 0; i < size; i++)
            {
                var n = batch * size + i;
                json.WriteStartObject();
                json.WriteString("kpi", BenchData.Key(2000 + n % kpis));
                json.WriteString("occurredAt", BenchData.Period(1 + batch));
                json.WriteString("eventId", $"bulk-{n}");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    // ---------------------------------------------------------------- B14: pushes with 5 webhook subscriptions vs B6

    /// <summary>
    /// B6's pushes again, with 5 subscriptions to every recorded value (each push is an event and 5 deliveries) to a
    /// receiver in this process: delivery is off the request path, so the rate stays near B6's. Also the latency from
    /// the event's timestamp (taken in its transaction) to its arrival at the receiver.
    /// </summary>
    public async Task PushesWithWebhooksAsync()
    {
        const int connections = 64, firstKpi = 1200, kpis = 800, subscriptions = 5;
        var title = $"single pushes x{connections} connections, {subscriptions} webhooks";
        if (_b6 is null)
        {
            report.Error("B14", title, new InvalidOperationException("B14 compares with B6 of the same run: run B6 too (BENCH_ONLY=B6,B14)."));
            return;
        }
        try
        {
            using var receiver = new BenchReceiver(PortReceiver);
            var pushed = await PushLoadAsync("B14", "b14-api", PortPushes, connections, firstKpi, kpis,
                ["--Webhooks:AllowedNetworks:0=127.0.0.1/32", "--Webhooks:PollIntervalMs=200"],
                async api =>
                {
                    for (var n = 0; n < subscriptions; n++)
                    {
                        var (status, body) = await PostJsonAsync(api.Http, $"{api.BaseUrl}/api/v1/webhooks", Encoding.UTF8.GetBytes(
                            $$"""{ "name": "bench {{n}}", "url": "http://127.0.0.1:{{PortReceiver}}/hook/{{n}}", "eventTypes": ["kpi.value.recorded"] }"""));
                        if (status != 201) throw new WrongAnswerException($"creating webhook {n}: {status} {Truncate(Text.Utf8(body))}");
                    }
                    receiver.Reset();
                },
                // Each stored push is one event for each subscription.
                done => receiver.WaitForAsync(done * subscriptions, TimeSpan.FromSeconds(60)));
            var latencies = receiver.Latencies();
            var ratio = pushed.Rate / _b6.Rate;
            report.Note($"B14: {Text.N(latencies.Length)} of {Text.N(pushed.Done * subscriptions)} deliveries of the {Text.N(pushed.Done)} measured pushes arrived within 60 s of the last; " +
                        $"commit to receiver p50 {Text.Ms(Percentile(latencies, 0.50))}, p99 {Text.Ms(Percentile(latencies, 0.99))}.");
            report.Add(new Outcome("B14", title, $"api {Text.N(pushed.Rate)} pushes/s  p99 {Text.Ms(pushed.P99)}  delivery p99 {Text.Ms(Percentile(latencies, 0.99))}",
                $"B6 {Text.N(_b6.Rate)} pushes/s without webhooks", ratio, $">= {B14Target:0.00}", ratio >= B14Target, Load: Loads(pushed.OtherCores, _b6.OtherCores)));
        }
        catch (Exception e)
        {
            report.Error("B14", title, e);
        }
    }

    // ---------------------------------------------------------------- B7: dashboard vs hello world

    public async Task DashboardAsync()
    {
        var days = settings.Days;
        var rows = 2000L * days;
        var keys = Enumerable.Range(0, 20).Select(k => BenchData.Key(k * 100)).ToArray();
        var path = "/api/v1/dashboard/kpis?keys=" + string.Join(',', keys);
        Console.WriteLine($"-- B7: dashboard of 20 KPIs over 2,000 KPIs x {days} days ({Text.N(rows)} rows, loaded with the import endpoint); wrk -t2 -c32 -d10s after a 3 s warm-up, {WrkRounds} rounds alternating with HelloWorld");
        var db = Work("b7-api.db");
        var dashboards = new List<Wrk.Result>();
        var hellos = new List<Wrk.Result>();
        double otherDashboard = 0, otherHello = 0;
        await QuietAsync();
        try
        {
            var csv = Work("dashboard.csv");
            BenchData.WriteCsv(csv, 0, 2000, days);
            await using (var api = await Server.StartApiAsync(settings, db, PortDashboard, "b7-api"))
            {
                await CreateKpisAsync(api, 0, 2000);
                var imported = await CurlImportAsync(api, csv);
                File.Delete(csv);
                imported.Expect(rows, created: rows, unchanged: 0);
                report.Note($"B7 data: {Text.N(rows)} rows imported in {Text.S(imported.Elapsed)} ({Rate(rows, imported.Elapsed)} rows/s).");
                _coldStartDb = db;

                using (var check = await api.Http.GetAsync(api.BaseUrl + path))
                {
                    var text = await check.Content.ReadAsStringAsync();
                    if (check.StatusCode != HttpStatusCode.OK) throw new WrongAnswerException($"GET {path} -> {(int)check.StatusCode} {Truncate(text)}");
                    var items = JsonDocument.Parse(text).RootElement.GetProperty("items");
                    if (items.GetArrayLength() != 20 || items.EnumerateArray().Any(i => i.GetProperty("latest").ValueKind == JsonValueKind.Null))
                        throw new WrongAnswerException($"GET {path} -> 200 with {items.GetArrayLength()} items (expected 20, each with a latest value): {Truncate(text)}");
                    report.Note($"B7 dashboard response: {Text.N(text.Length)} bytes for 20 KPIs.");
                }
                // The same wrk runs against HelloWorld, interleaved round by round so that whatever else the machine
                // does falls on both alike; each side's median of the rounds is compared.
                await using var app = await Server.StartHelloAsync(settings, PortHello, "b7-hello");
                await Wrk.RunAsync(api.BaseUrl + path, 3, api.Token);
                await Wrk.RunAsync(app.BaseUrl + "/", 3);
                for (var round = 0; round < WrkRounds; round++)
                {
                    var (d, od) = await Watched(() => Wrk.RunAsync(api.BaseUrl + path, 10, api.Token));
                    var (h, oh) = await Watched(() => Wrk.RunAsync(app.BaseUrl + "/", 10));
                    dashboards.Add(d);
                    hellos.Add(h);
                    otherDashboard += od / WrkRounds;
                    otherHello += oh / WrkRounds;
                }
            }
        }
        catch (Exception e)
        {
            report.Error("B7", "dashboard 20 KPIs", e);
            return;
        }

        foreach (var (name, runs) in new[] { ("dashboard", dashboards), ("hello", hellos) })
            foreach (var r in runs.Where(r => r.Non2xx > 0 || r.SocketErrors.Length > 0))
                report.Note($"B7 {name}: wrk saw {r.Non2xx} non-2xx responses; socket errors: {(r.SocketErrors.Length > 0 ? r.SocketErrors : "none")}.");
        double Med(IEnumerable<double> xs) { var o = xs.Order().ToList(); return o.Count % 2 == 1 ? o[o.Count / 2] : (o[o.Count / 2 - 1] + o[o.Count / 2]) / 2; }
        var dashRps = Med(dashboards.Select(r => r.RequestsPerSecond));
        var helloRps = Med(hellos.Select(r => r.RequestsPerSecond));
        var dashP99 = Med(dashboards.Select(r => r.P99Ms));
        var helloP99 = Med(hellos.Select(r => r.P99Ms));
        var throughput = dashRps / helloRps;
        var p99 = dashP99 / helloP99;
        report.Add(new Outcome("B7", "dashboard 20 KPIs throughput", $"dashboard {Text.N(dashRps)} req/s", $"hello {Text.N(helloRps)} req/s",
            throughput, $">= {B7ThroughputTarget:0.00}", throughput >= B7ThroughputTarget, Load: Loads(otherDashboard, otherHello)));
        report.Add(new Outcome("B7", "dashboard 20 KPIs p99", $"dashboard p99 {Text.Ms(dashP99)} (p50 {Text.Ms(Med(dashboards.Select(r => r.P50Ms)))})",
            $"hello p99 {Text.Ms(helloP99)} (p50 {Text.Ms(Med(hellos.Select(r => r.P50Ms)))})", p99, $"<= {B7P99Target:0}", p99 <= B7P99Target,
            Load: Loads(otherDashboard, otherHello)));
        string Runs(List<Wrk.Result> rs) => string.Join("; ", rs.Select(r => $"{Text.N(r.RequestsPerSecond)} req/s p99 {Text.Ms(r.P99Ms)}"));
        report.Note($"B7 wrk rounds (median taken): dashboard {Runs(dashboards)} | hello {Runs(hellos)}.");
    }

    // ---------------------------------------------------------------- B10: time to ready

    /// <summary>
    /// From process start until the API is ready (readiness answers 200: the database is prepared) and has answered a
    /// first API request as an integrator sends it (a token, a list of KPIs); the reference is a bare app's first 200.
    /// </summary>
    public async Task TimeToReadyAsync()
    {
        const int runs = 9;
        const string firstRequest = "/api/v1/kpis?limit=1";
        Console.WriteLine($"-- B10: time to ready and a first API request answered, {runs} runs each, alternating");
        try
        {
            var db = _coldStartDb is { } existing && File.Exists(existing) ? existing : await Raw.FreshDatabaseAsync(settings, "b10");
            // The integrator's token is made once on this database, by a server that is then stopped.
            string token;
            await using (var once = await Server.StartApiAsync(settings, db, PortColdApi, "b10-token")) token = once.Token;
            // A cold start, not crash recovery: the API was stopped gracefully, so SQLite should have removed its WAL.
            // Should one be left, it is checkpointed away first (replaying a large WAL would dominate the start).
            if (new FileInfo(db + "-wal") is { Exists: true } wal)
            {
                report.Note($"B10: {Path.GetFileName(db)} had a {Text.Mb(wal.Length)} WAL left after a graceful stop; checkpointed (TRUNCATE) before the cold starts.");
                using var connection = Raw.Open(db);
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                checkpoint.ExecuteNonQuery();
            }
            var ready = new List<TimeSpan>();
            var answered = new List<TimeSpan>();
            var hello = new List<TimeSpan>();
            await QuietAsync();
            var mark = load.Now();
            for (var run = 0; run < runs; run++)
            {
                var api = await TimesToFirst200Async(settings.ApiDll,
                    ["--urls", $"http://127.0.0.1:{PortColdApi}", $"--ConnectionStrings:OkrKpi=Data Source={db}", "--Demo:Enabled=false"],
                    PortColdApi, $"b10-api-{run}", ("/health/ready", null), (firstRequest, token));
                ready.Add(api[0]);
                answered.Add(api[1]);
                hello.Add((await TimesToFirst200Async(settings.HelloDll, ["--urls", $"http://127.0.0.1:{PortColdHello}"], PortColdHello, $"b10-hello-{run}", ("/", null)))[0]);
            }
            var other = load.ForeignCoresSince(mark);
            var answeredMedian = Median(answered);
            var helloMedian = Median(hello);
            var ratio = answeredMedian / helloMedian;
            report.Add(new Outcome("B10", $"time to ready and a first API request answered (GET {firstRequest})", $"api {Text.Ms(answeredMedian.TotalMilliseconds)} median",
                $"bare app's first 200: {Text.Ms(helloMedian.TotalMilliseconds)} median", ratio, $"<= {B10Target:0.0}", ratio <= B10Target, Load: $"{other:0.00} (both, alternating)"));
            report.Note($"B10 runs (ms): api ready {Runs(ready)}; api first request answered {Runs(answered)}; hello {Runs(hello)}; " +
                        $"API on {Path.GetFileName(db)} ({new FileInfo(db).Length / 1024 / 1024} MiB).");
        }
        catch (Exception e)
        {
            report.Error("B10", "time to ready and a first API request answered", e);
        }
        finally
        {
            if (_coldStartDb is not null) Files.DeleteDatabase(_coldStartDb);
        }

        static string Runs(List<TimeSpan> times) => string.Join(", ", times.Select(t => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)));
    }

    /// <summary>Starts a process and sends each request in turn until it answers 200; returns the time from the start to each 200.</summary>
    private async Task<TimeSpan[]> TimesToFirst200Async(string dll, string[] args, int port, string name, params (string Path, string? Token)[] requests)
    {
        PortCheck.EnsureFree(port);
        var log = Path.Combine(settings.LogDir, name + ".log");
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var watch = Stopwatch.StartNew();
        var process = Processes.StartDotnet(dll, args, log);
        try
        {
            var times = new TimeSpan[requests.Length];
            for (var i = 0; i < requests.Length; i++) times[i] = await PollAsync(requests[i].Path, requests[i].Token);
            return times;
        }
        finally
        {
            Processes.Stop(process, TimeSpan.FromSeconds(20));
        }

        async Task<TimeSpan> PollAsync(string target, string? token)
        {
            var url = $"http://127.0.0.1:{port}{target}";
            while (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK) return watch.Elapsed;
                }
                catch (HttpRequestException) { }
                if (process.HasExited) throw new InvalidOperationException($"{name} exited with {process.ExitCode} before answering:\n{Server.Tail(log)}");
                await Task.Delay(5);
            }
            throw new TimeoutException($"{name}: no 200 from {url} within 60 s:\n{Server.Tail(log)}");
        }
    }

    // ---------------------------------------------------------------- B12: computed KPIs

    /// <summary>
    /// B12: the same CSV (two daily input KPIs, half the rows each) imported into a database where a third KPI is
    /// computed from them, against its import where nothing reads them: the recomputation runs in the import's
    /// transaction, so its cost is part of the import's wall time. Then the time a formula change takes to recompute
    /// ten years of daily history (reported).
    /// </summary>
    public async Task ComputedAsync()
    {
        var days = (int)(settings.Rows / 2);
        var rows = 2L * days;
        var title = $"csv import {Text.N(rows)} rows into two KPIs that feed a computed KPI";
        var csv = Work("import-computed.csv");
        BenchData.WriteCsv(csv, 0, 2, days);
        Console.WriteLine($"-- B12: {Text.N(rows)} rows ({new FileInfo(csv).Length / 1024 / 1024} MiB CSV), 2 KPIs x {Text.N(days)} days, and a KPI computed from them");
        try
        {
            TimeSpan reference, computed, formulaChange;
            double otherReference, otherComputed;
            var referenceDb = Work("b12-reference.db");
            await using (var api = await Server.StartApiAsync(settings, referenceDb, PortComputedReference, "b12-reference"))
            {
                await CreateKpisAsync(api, 0, 2);
                (var imported, otherReference) = await Watched(() => CurlImportAsync(api, csv));
                imported.Expect(rows, created: rows, unchanged: 0);
                reference = imported.Elapsed;
            }
            Files.DeleteDatabase(referenceDb);

            var computedDb = Work("b12-computed.db");
            await using (var api = await Server.StartApiAsync(settings, computedDb, PortComputed, "b12-computed"))
            {
                await CreateKpisAsync(api, 0, 4);
                await CreateComputedKpiAsync(api, "bench-ratio", 0, 1);
                (var imported, otherComputed) = await Watched(() => CurlImportAsync(api, csv));
                imported.Expect(rows, created: rows, unchanged: 0);
                computed = imported.Elapsed;
                await ExpectComputedAsync(api, "bench-ratio", 0, 1, days - 1);

                // Ten years of daily history in two more inputs, a KPI computed from them, then its formula changed.
                var tenYears = Work("import-computed-10y.csv");
                var history = BenchData.WriteCsv(tenYears, 2, 2, 3650);
                (await CurlImportAsync(api, tenYears)).Expect(history, created: history, unchanged: 0);
                File.Delete(tenYears);
                await CreateComputedKpiAsync(api, "bench-ratio-10y", 2, 3);
                var watch = Stopwatch.StartNew();
                using (var patch = new HttpRequestMessage(HttpMethod.Patch, api.BaseUrl + "/api/v1/kpis/bench-ratio-10y"))
                {
                    patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
                    patch.Content = new StringContent($"{{\"formula\":\"{{{BenchData.Key(2)}}} / {{{BenchData.Key(3)}}} * 1000\"}}", Encoding.UTF8);
                    patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
                    using var response = await api.Http.SendAsync(patch);
                    if (response.StatusCode != HttpStatusCode.OK)
                        throw new WrongAnswerException($"PATCH /api/v1/kpis/bench-ratio-10y -> {(int)response.StatusCode} {Truncate(await response.Content.ReadAsStringAsync())}");
                }
                formulaChange = watch.Elapsed;
            }
            Files.DeleteDatabase(computedDb);

            var ratio = reference / computed;
            report.Add(new Outcome("B12", title, $"import with a computed KPI {Rate(rows, computed)} rows/s ({Text.S(computed)})",
                $"same import, nothing computed {Rate(rows, reference)} rows/s ({Text.S(reference)})", ratio, $">= {B12Target:0.00}", ratio >= B12Target,
                Load: Loads(otherComputed, otherReference)));
            report.Add(new Outcome("B12", "formula change recomputing 3,650 days (10 years) of daily history", $"PATCH answered in {Text.S(formulaChange)}",
                "none (reported)", null, "none (reported)", null));
        }
        catch (Exception e)
        {
            report.Error("B12", title, e);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    /// <summary>Defines KPI <paramref name="key"/> as the ratio of two bench KPIs, in percent.</summary>
    private static async Task CreateComputedKpiAsync(Server api, string key, int numerator, int denominator)
    {
        var json = "{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"valueType\":\"number\",\"frequency\":\"daily\",\"fedBy\":\"formula\"," +
            "\"formula\":\"{" + BenchData.Key(numerator) + "} / {" + BenchData.Key(denominator) + "} * 100\",\"target\":{\"comparator\":\"atLeast\",\"value\":100}}";
        var (status, body) = await PostJsonAsync(api.Http, api.BaseUrl + "/api/v1/kpis", Encoding.UTF8.GetBytes(json));
        if (status != 201) throw new WrongAnswerException($"POST /api/v1/kpis {json} -> {status} {Truncate(Text.Utf8(body))}");
    }

    /// <summary>The computed KPI's value for a period is the ratio of its inputs' values, as the CSV had them.</summary>
    private static async Task ExpectComputedAsync(Server api, string key, int numerator, int denominator, int day)
    {
        var period = BenchData.Period(day);
        var expected = decimal.Parse(BenchData.Value(numerator, day), CultureInfo.InvariantCulture) / decimal.Parse(BenchData.Value(denominator, day), CultureInfo.InvariantCulture) * 100;
        using var response = await api.Http.GetAsync($"{api.BaseUrl}/api/v1/kpis/{key}/measurements/{period}");
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || JsonDocument.Parse(body).RootElement.GetProperty("value").GetDecimal() != expected)
            throw new WrongAnswerException($"GET /api/v1/kpis/{key}/measurements/{period} -> {(int)response.StatusCode} {Truncate(body)}; expected the value {expected}");
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>Creates KPIs first..first+count-1 through POST /api/v1/kpis (4 at a time); returns their ids in order.</summary>
    private static async Task<string[]> CreateKpisAsync(Server api, int first, int count)
    {
        var ids = new string[count];
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                var (status, body) = await PostJsonAsync(api.Http, api.BaseUrl + "/api/v1/kpis", Encoding.UTF8.GetBytes(BenchData.KpiJson(first + n)));
                if (status != 201) throw new WrongAnswerException($"POST /api/v1/kpis {BenchData.KpiJson(first + n)} -> {status} {Truncate(Text.Utf8(body))}");
                ids[n] = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            }
        })));
        Console.WriteLine($"   created {Text.N(count)} KPIs ({BenchData.Key(first)}..{BenchData.Key(first + count - 1)}) in {Text.S(watch.Elapsed)}");
        return ids;
    }

    /// <summary>
    /// Sends the warm-up requests in two halves, <paramref name="parallelism"/> at a time, each half followed by a wait
    /// until the API is idle (see B5 for why two); returns how long those waits took, for the notes.
    /// </summary>
    private static async Task<string> WarmUpInTwoRoundsAsync<T>(Server api, T[] requests, int parallelism, Func<T, Task> send)
    {
        var settled = new List<TimeSpan>();
        foreach (var round in requests.Chunk(requests.Length / 2))
        {
            await Parallel.ForEachAsync(round, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (request, _) => await send(request));
            settled.Add(await api.WaitUntilIdleAsync(TimeSpan.FromSeconds(15)));
        }
        return string.Join(", ", settled.Select(Text.S));
    }

    private static async Task<(int Status, byte[] Body)> PostJsonAsync(HttpClient http, string url, byte[] json)
    {
        using var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(url, content);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    private sealed record ImportResult(TimeSpan Elapsed, int Status, string Body, string Request)
    {
        public void Expect(long rows, long created, long unchanged)
        {
            long Get(JsonElement root, string name) => root.TryGetProperty(name, out var v) ? v.GetInt64() : -1;
            if (Status != 200) throw new WrongAnswerException($"{Request} -> {Status} {Truncate(Body)}");
            var root = JsonDocument.Parse(Body).RootElement;
            if (!root.GetProperty("committed").GetBoolean() || Get(root, "rows") != rows || Get(root, "created") != created || Get(root, "unchanged") != unchanged)
                throw new WrongAnswerException($"{Request} ({Text.N(rows)} rows) -> 200 {Truncate(Body)}; expected rows={rows}, created={created}, unchanged={unchanged}");
        }
    }

    /// <summary>One curl upload of the whole file, as a user would: its wall time is the import's time.</summary>
    private static async Task<ImportResult> CurlImportAsync(Server api, string csv)
    {
        var responseFile = csv + ".response.json";
        var url = api.BaseUrl + "/api/v1/measurements/import";
        var (code, output, elapsed) = await Processes.RunAsync("curl",
            ["-sS", "-o", responseFile, "-w", "%{http_code}", "--data-binary", "@" + csv, "-H", "Content-Type: text/csv",
             "-H", $"Authorization: Bearer {api.Token}", url], TimeSpan.FromMinutes(30));
        var request = $"curl --data-binary @{Path.GetFileName(csv)} -H 'Content-Type: text/csv' -H 'Authorization: Bearer okr_…' {url}";
        if (code != 0) throw new WrongAnswerException($"{request}: curl exited with {code}: {output}");
        var body = File.Exists(responseFile) ? File.ReadAllText(responseFile) : "";
        File.Delete(responseFile);
        return new ImportResult(elapsed, int.Parse(output.Trim(), CultureInfo.InvariantCulture), body, request);
    }

    private static byte[] BatchBody(int kpi, int firstDay, int count)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("items");
            for (var d = firstDay; d < firstDay + count; d++)
            {
                json.WriteStartObject();
                json.WriteString("period", BenchData.Period(d));
                json.WriteNumber("value", decimal.Parse(BenchData.Value(kpi, d), CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static byte[] PushBody(int kpi, int day) =>
        Encoding.UTF8.GetBytes($$"""{"period":"{{BenchData.Period(day)}}","value":{{BenchData.Value(kpi, day)}}}""");

    private static string Rate(long rows, TimeSpan t) => Text.N(rows / t.TotalSeconds);

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static TimeSpan Median(List<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Truncate(string s, int max = 600) => s.Length <= max ? s : s[..max] + "…";
}
