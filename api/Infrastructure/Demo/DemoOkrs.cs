using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Mediator;
using OkrKpi.Api.Features.Events;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Infrastructure.Demo;

/// <summary>
/// The demo organisation's OKRs and KPI history (db/seed/demo-okrs.json), relative to the day of seeding: a company
/// cycle of twelve months from the previous quarter's start, the previous quarter (closed, so it has scores) and the
/// current quarter (active). KPI values end at each KPI's last completed period. A cycle's key results are created once
/// the values before the cycle's start are in, so a key result declared as a change starts from its KPI's value when
/// its cycle began. Everything goes through the API's commands; only the check-ins' timestamps are moved back afterwards
/// to the weeks they stand for, since a command stamps "now".
/// </summary>
public sealed class DemoOkrs(ISender sender, TimeProvider clock, Organisation organisation)
{
    // A demo seeded today still has check-ins "a few weeks" old: the only writes outside the commands.
    internal const string BackdateCheckInSql = "UPDATE CheckIn SET CreatedAt = @At WHERE Id = @Id";
    internal const string BackdateKeyResultSql = "UPDATE KeyResult SET LastCheckInAt = @At WHERE Id = @Id";

    private sealed record Seed([property: JsonPropertyName("_comment")] string? Comment, List<SeedSeries> Measurements, List<SeedObjective> Objectives);
    private sealed record SeedSeries(string Kpi, int? EndsPeriodsAgo, List<decimal> Values);
    private sealed record SeedObjective(string Ref, string Cycle, string? Parent, string Owner, string Title, string? Description,
        List<string>? Kpis, List<SeedKeyResult> KeyResults);
    private sealed record SeedKeyResult(string Title, KeyResultType? Type, string? Unit, decimal? Start, decimal? Target, KeyResultChange? Change,
        string? Kpi, int? LastCheckInDaysAgo, List<SeedCheckIn>? CheckIns);
    private sealed record SeedCheckIn(decimal Value, int? Confidence, string? Note);

    public static string SeedFile => Path.Combine(AppContext.BaseDirectory, "db", "seed", "demo-okrs.json");

    /// <returns>How many objectives were seeded.</returns>
    public async Task<int> SeedAsync(DbConnection connection, IReadOnlyDictionary<string, Guid> teams, IReadOnlyDictionary<string, Guid> kpis,
        IReadOnlyDictionary<string, KpiFrequency> frequencies, IReadOnlySet<string> fedByEvents, CancellationToken ct)
    {
        _fedByEvents = fedByEvents;
        var options = new JsonSerializerOptions();
        StrictJson.Configure(options);
        await using var file = File.OpenRead(SeedFile);
        var seed = await JsonSerializer.DeserializeAsync<Seed>(file, options, ct) ?? throw new InvalidOperationException("Empty demo OKR seed.");

        var zone = organisation.TimeZone;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var current = QuarterStart(today);
        var previous = current.AddMonths(-3);
        var cycles = new Dictionary<string, CycleResponse>
        {
            ["company"] = await CycleAsync(FiscalYear(previous), previous, previous.AddMonths(12).AddDays(-1), ct),
            ["previous"] = await CycleAsync(QuarterName(previous), previous, current.AddDays(-1), ct),
            ["current"] = await CycleAsync(QuarterName(current), current, current.AddMonths(3).AddDays(-1), ct),
        };

        var objectives = new Dictionary<string, Guid>();
        var checkIns = new List<(Guid KeyResultId, DateTimeOffset At, CreateCheckIn.Command Command, string Cycle)>();
        async Task CreateAsync(Func<SeedObjective, bool> which)
        {
            foreach (var o in seed.Objectives.Where(which))
            {
                var created = await sender.Send(new CreateObjective.Command(cycles[o.Cycle].Id, o.Title, o.Description, teams[o.Owner], null,
                    o.Parent is null ? null : objectives[o.Parent], ObjectiveStatus.Active, (o.Kpis ?? []).Select(k => kpis[k]).ToList()), ct);
                objectives[o.Ref] = created.Id;
                foreach (var k in o.KeyResults)
                {
                    var keyResult = await sender.Send(new CreateKeyResult.Command(k.Title, k.Type ?? KeyResultType.Number, k.Unit, k.Start, k.Target,
                        null, null, k.Change, null, null, null, null, null, null, null, null, k.Kpi) { ObjectiveId = created.Id }, ct);
                    var dates = CheckInDates(cycles[o.Cycle], k.CheckIns?.Count ?? 0, k.LastCheckInDaysAgo ?? 0, now, zone);
                    checkIns.AddRange((k.CheckIns ?? []).Select((c, i) => (keyResult.Id, dates[i], new CreateCheckIn.Command(c.Value, c.Confidence, c.Note), o.Cycle)));
                }
            }
        }

        // Each cycle's key results see the KPI values from before the cycle began; the previous quarter closes with what
        // it knew by its end: its check-ins and the KPI values of its periods.
        var series = seed.Measurements.SelectMany(s => Periods(s, frequencies[s.Kpi], now, zone)).ToList();
        var previousStart = OkrProgress.Span(previous, previous, zone).Start;
        var currentStart = OkrProgress.Span(current, current, zone).Start;
        await PushAsync(series.Where(m => m.PeriodStart < previousStart), ct);
        await CreateAsync(o => o.Cycle != "current");
        await PushAsync(series.Where(m => m.PeriodStart >= previousStart && m.PeriodStart < currentStart), ct);
        await CheckInAsync(connection, checkIns.Where(c => c.Cycle == "previous"), ct);
        await sender.Send(new ChangeCycleStatus.Command(cycles["previous"].Id, ChangeCycleStatus.Transition.Close, null), ct);
        await CreateAsync(o => o.Cycle == "current");
        await PushAsync(series.Where(m => m.PeriodStart >= currentStart), ct);
        await CheckInAsync(connection, checkIns.Where(c => c.Cycle != "previous"), ct);
        return objectives.Count;
    }

    private async Task<CycleResponse> CycleAsync(string name, DateOnly start, DateOnly end, CancellationToken ct)
    {
        var cycle = await sender.Send(new CreateCycle.Command(name, start, end), ct);
        return await sender.Send(new ChangeCycleStatus.Command(cycle.Id, ChangeCycleStatus.Transition.Activate, null), ct);
    }

    private IReadOnlySet<string> _fedByEvents = new HashSet<string>();

    /// <summary>
    /// Each KPI's values of a series: pushed, or for a KPI fed by events, that many occurrences in each period (the
    /// value is a count), spread over its working days: recorded after their week, they are late events.
    /// </summary>
    private async Task PushAsync(IEnumerable<(string Kpi, DateTimeOffset PeriodStart, string Period, decimal Value)> values, CancellationToken ct)
    {
        foreach (var kpi in values.GroupBy(v => v.Kpi).Where(k => _fedByEvents.Contains(k.Key)))
            await sender.Send(new RecordEventBatch.Command(
                kpi.SelectMany(v => Enumerable.Range(0, (int)v.Value).Select(i => new EventBatchItemInput(kpi.Key,
                    v.PeriodStart.AddDays(i % 5).AddHours(9 + i / 5 * 2).ToString("O", CultureInfo.InvariantCulture), null, $"demo-{v.Period}-{i + 1}"))).ToList(),
                null, null), ct);
        foreach (var kpi in values.GroupBy(v => v.Kpi).Where(k => !_fedByEvents.Contains(k.Key)))
            await sender.Send(new PushKpiMeasurements.Command(kpi.Key,
                kpi.Select(v => new MeasurementInput(v.Period, JsonSerializer.SerializeToElement(v.Value), null, null, MeasurementSource.Manual)).ToList(),
                null, null), ct);
    }

    private async Task CheckInAsync(DbConnection connection, IEnumerable<(Guid KeyResultId, DateTimeOffset At, CreateCheckIn.Command Command, string Cycle)> checkIns,
        CancellationToken ct)
    {
        foreach (var c in checkIns)
        {
            var checkIn = await sender.Send(c.Command with { KeyResultId = c.KeyResultId }, ct);
            await connection.ExecuteAsync(new CommandDefinition(BackdateCheckInSql, new { checkIn.Id, c.At }, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(BackdateKeyResultSql, new { Id = c.KeyResultId, c.At }, cancellationToken: ct));
        }
    }

    /// <summary>A week apart, the last one <paramref name="lastDaysAgo"/> days before today or the cycle's end, none before its start.</summary>
    private static List<DateTimeOffset> CheckInDates(CycleResponse cycle, int count, int lastDaysAgo, DateTimeOffset now, TimeZoneInfo zone)
    {
        var (start, end) = OkrProgress.Span(cycle.StartDate, cycle.EndDate, zone);
        var last = (now < end ? now : end.AddHours(-12)).AddDays(-lastDaysAgo);
        return Enumerable.Range(0, count)
            .Select(i => last.AddDays(-7 * (count - 1 - i)))
            .Select(at => at < start ? start.AddHours(9) : at)
            .Select(at => at > now ? now : at)
            .ToList();
    }

    private static IEnumerable<(string Kpi, DateTimeOffset PeriodStart, string Period, decimal Value)> Periods(SeedSeries series, KpiFrequency frequency,
        DateTimeOffset now, TimeZoneInfo zone)
    {
        // The last completed period: a demo value for a period not yet over would be a forecast.
        var period = KpiPeriods.Previous(frequency, KpiPeriods.StartOf(frequency, now, zone), zone);
        for (var i = 0; i < (series.EndsPeriodsAgo ?? 0); i++) period = KpiPeriods.Previous(frequency, period, zone);
        var periods = new List<DateTimeOffset> { period };
        while (periods.Count < series.Values.Count) periods.Add(KpiPeriods.Previous(frequency, periods[^1], zone));
        periods.Reverse();
        return periods.Select((p, i) => (series.Kpi, p, KpiPeriods.Label(frequency, p, zone), series.Values[i]));
    }

    private static DateOnly QuarterStart(DateOnly day) => new(day.Year, (day.Month - 1) / 3 * 3 + 1, 1);

    private static string QuarterName(DateOnly start) => $"{start.Year}-Q{(start.Month - 1) / 3 + 1}";

    private static string FiscalYear(DateOnly start) =>
        start.Month == 1 ? $"FY {start.Year}" : string.Create(CultureInfo.InvariantCulture, $"FY {start.Year}/{(start.Year + 1) % 100:00}");
}
