using System.Globalization;
using System.Text.RegularExpressions;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.UnitTests.Features.Okrs;

/// <summary>Runs every row of the OKR progress conformance tables in docs/okrs.md, and the rules around them.</summary>
public sealed partial class OkrProgressTests
{
    private const string KeyResultHeader = "| type | start | target | comparator | current | progress |";
    private const string ObjectiveHeader = "| key results | progress |";
    private const string HealthHeader = "| expected | progress | stale | health |";
    private static readonly OkrOptions Defaults = new();
    private static readonly DateTimeOffset Open = DateTimeOffset.MaxValue;

    public static IEnumerable<TestCaseData> KeyResultRows() => Rows(KeyResultHeader);
    public static IEnumerable<TestCaseData> ObjectiveRows() => Rows(ObjectiveHeader);
    public static IEnumerable<TestCaseData> HealthRows() => Rows(HealthHeader);

    [TestCaseSource(nameof(KeyResultRows))]
    public void A_key_results_progress_is_the_published_one(string[] cells)
    {
        var (type, start, target, comparator, current, expected) =
            (Enum.Parse<KeyResultType>(cells[0], ignoreCase: true), Number(cells[1]), Number(cells[2]), cells[3], NumberOrNull(cells[4]), Number(cells[5]));
        var chosen = comparator == "auto" ? (TargetComparator?)null : Enum.Parse<TargetComparator>(comparator, ignoreCase: true);
        var direction = chosen is { } c && start == target ? OkrProgress.DirectionOf(c) : OkrProgress.DirectionOf(start, target, null);

        var progress = OkrProgress.KeyResult(type, start, target, OkrProgress.ComparatorOf(direction, chosen), current);

        Assert.That(OkrProgress.Round(progress), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(ObjectiveRows))]
    public void An_objectives_progress_is_the_published_one(string[] cells)
    {
        var keyResults = cells[0] == "none" ? [] : cells[0].Split(';', StringSplitOptions.TrimEntries).Select(KeyResultCell).ToList();

        var progress = OkrProgress.Objective(keyResults);

        Assert.That(progress is { } p ? OkrProgress.Round(p) : (decimal?)null, Is.EqualTo(NumberOrNull(cells[1])));
    }

    [TestCaseSource(nameof(HealthRows))]
    public void Health_is_the_published_one(string[] cells)
    {
        var started = cells[0] != "before";

        var health = OkrProgress.Health(Number(cells[1]), started ? Number(cells[0]) : 0m, started, cells[2] == "yes", Defaults);

        Assert.That(health.ToString(), Is.EqualTo(cells[3]).IgnoreCase);
    }

    [Test]
    public void The_readme_publishes_enough_rows_of_each_table()
    {
        Assert.That(KeyResultRows().Count(), Is.GreaterThanOrEqualTo(25));
        Assert.That(ObjectiveRows().Count(), Is.GreaterThanOrEqualTo(6));
        Assert.That(HealthRows().Count(), Is.GreaterThanOrEqualTo(12));
    }

    [Test]
    public void Expected_progress_is_the_elapsed_fraction_of_the_cycle_in_the_organisations_time_zone()
    {
        var start = new DateOnly(2026, 7, 1);
        var end = new DateOnly(2026, 9, 30);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.Multiple(() =>
        {
            Assert.That(OkrProgress.Expected(start, end, Instant("2026-06-30T23:59:59Z"), TimeZoneInfo.Utc), Is.EqualTo(0m));
            Assert.That(OkrProgress.Expected(start, end, Instant("2026-07-01T00:00:00Z"), TimeZoneInfo.Utc), Is.EqualTo(0m));
            Assert.That(OkrProgress.Expected(start, end, Instant("2026-08-16T00:00:00Z"), TimeZoneInfo.Utc), Is.EqualTo(0.5m));
            Assert.That(OkrProgress.Round(OkrProgress.Expected(start, end, Instant("2026-07-15T09:30:00Z"), TimeZoneInfo.Utc)), Is.EqualTo(0.1565m));
            Assert.That(OkrProgress.Expected(start, end, Instant("2026-10-01T00:00:00Z"), TimeZoneInfo.Utc), Is.EqualTo(1m));
            // Berlin's 1 July starts at 22:00 UTC on 30 June, so the cycle has begun there.
            Assert.That(OkrProgress.Expected(start, end, Instant("2026-06-30T23:00:00Z"), berlin), Is.GreaterThan(0m));
            Assert.That(OkrProgress.Expected(start, end, Instant("2026-09-30T22:00:00Z"), berlin), Is.EqualTo(1m));
        });
    }

    [Test]
    public void Stale_needs_an_active_started_cycle_and_more_than_the_configured_days_of_silence()
    {
        var cycleStart = Instant("2026-07-01T00:00:00Z");
        var created = Instant("2026-07-03T00:00:00Z");
        var now = Instant("2026-07-20T00:00:00Z");

        Assert.Multiple(() =>
        {
            Assert.That(OkrProgress.IsStale(CycleStatus.Active, cycleStart, Open, Instant("2026-07-06T00:00:00Z"), created, now, Defaults), Is.False, "exactly 14 days");
            Assert.That(OkrProgress.IsStale(CycleStatus.Active, cycleStart, Open, Instant("2026-07-05T23:59:59Z"), created, now, Defaults), Is.True);
            Assert.That(OkrProgress.IsStale(CycleStatus.Active, cycleStart, Open, null, created, now, Defaults), Is.True, "since creation");
            Assert.That(OkrProgress.IsStale(CycleStatus.Active, cycleStart, Open, null, Instant("2026-06-01T00:00:00Z"), Instant("2026-07-10T00:00:00Z"), Defaults), Is.False, "since the cycle started");
            Assert.That(OkrProgress.IsStale(CycleStatus.Closed, cycleStart, Open, null, created, now, Defaults), Is.False);
            Assert.That(OkrProgress.IsStale(CycleStatus.Planning, cycleStart, Open, null, created, now, Defaults), Is.False);
            Assert.That(OkrProgress.IsStale(CycleStatus.Active, cycleStart, Open, null, created, now, new OkrOptions { StaleAfterDays = 30 }), Is.False);
        });
    }

    [Test]
    public void Expected_progress_runs_over_a_key_results_own_timeframe()
    {
        // Due two months into a quarter: all of it is expected by the end of its due date, whatever the cycle says.
        var start = new DateOnly(2026, 7, 1);
        var due = new DateOnly(2026, 8, 31);

        Assert.Multiple(() =>
        {
            Assert.That(OkrProgress.Expected(start, due, Instant("2026-07-01T00:00:00Z"), TimeZoneInfo.Utc), Is.EqualTo(0m));
            Assert.That(OkrProgress.Round(OkrProgress.Expected(start, due, Instant("2026-08-01T00:00:00Z"), TimeZoneInfo.Utc)), Is.EqualTo(0.5m));
            Assert.That(OkrProgress.Expected(start, due, Instant("2026-09-01T00:00:00Z"), TimeZoneInfo.Utc), Is.EqualTo(1m));
            Assert.That(OkrProgress.Expected(start, due, Instant("2026-09-20T00:00:00Z"), TimeZoneInfo.Utc), Is.EqualTo(1m));
            // A key result starting mid-quarter expects nothing before its start.
            Assert.That(OkrProgress.Expected(new DateOnly(2026, 8, 1), new DateOnly(2026, 9, 30), Instant("2026-07-20T00:00:00Z"), TimeZoneInfo.Utc), Is.EqualTo(0m));
        });
    }

    [Test]
    public void Staleness_runs_over_a_key_results_own_timeframe()
    {
        var start = Instant("2026-08-01T00:00:00Z");
        var end = Instant("2026-09-01T00:00:00Z");
        var created = Instant("2026-07-01T00:00:00Z");

        Assert.Multiple(() =>
        {
            Assert.That(OkrProgress.IsStale(CycleStatus.Active, start, end, null, created, Instant("2026-07-25T00:00:00Z"), Defaults), Is.False, "before it starts");
            Assert.That(OkrProgress.IsStale(CycleStatus.Active, start, end, null, created, Instant("2026-08-10T00:00:00Z"), Defaults), Is.False, "counted from its own start");
            Assert.That(OkrProgress.IsStale(CycleStatus.Active, start, end, null, created, Instant("2026-08-20T00:00:00Z"), Defaults), Is.True);
            Assert.That(OkrProgress.IsStale(CycleStatus.Active, start, end, null, created, Instant("2026-09-10T00:00:00Z"), Defaults), Is.False, "after its due date");
        });
    }

    [Test]
    public void A_strict_key_result_is_done_only_past_its_target()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OkrProgress.Met(2m, 2m, TargetComparator.LessThan), Is.False);
            Assert.That(OkrProgress.Met(2m, 2m, TargetComparator.AtMost), Is.True);
            Assert.That(OkrProgress.Met(10m, 10m, TargetComparator.GreaterThan), Is.False);
            Assert.That(OkrProgress.Met(10m, 10m, TargetComparator.AtLeast), Is.True);
            Assert.That(OkrProgress.KeyResult(KeyResultType.Number, 5m, 2m, TargetComparator.LessThan, 2m), Is.EqualTo(OkrProgress.AlmostMet));
        });
    }

    [Test]
    public void Health_thresholds_are_configuration()
    {
        var strict = new OkrOptions { OnTrackTolerance = 0m, AtRiskTolerance = 0.05m };

        Assert.That(OkrProgress.Health(0.45m, 0.5m, true, false, strict), Is.EqualTo(OkrHealth.AtRisk));
        Assert.That(OkrProgress.Health(0.44m, 0.5m, true, false, strict), Is.EqualTo(OkrHealth.OffTrack));
        Assert.That(OkrProgress.Health(0.44m, 0.5m, true, false, Defaults), Is.EqualTo(OkrHealth.OnTrack));
    }

    [Test]
    public void The_direction_follows_start_and_target_and_is_chosen_only_when_they_are_equal()
    {
        Assert.That(OkrProgress.DirectionOf(1, 2, KeyResultDirection.Decrease), Is.EqualTo(KeyResultDirection.Increase));
        Assert.That(OkrProgress.DirectionOf(2, 1, null), Is.EqualTo(KeyResultDirection.Decrease));
        Assert.That(OkrProgress.DirectionOf(2, 2, null), Is.EqualTo(KeyResultDirection.Increase));
        Assert.That(OkrProgress.DirectionOf(2, 2, KeyResultDirection.Decrease), Is.EqualTo(KeyResultDirection.Decrease));
    }

    [TestCase(null, "2026-07-15", "2026-Q3", "2026-07-01", "2026-09-30")]
    [TestCase("2026-09-30", "2026-07-15", "2026-Q4", "2026-10-01", "2026-12-31")]
    [TestCase("2026-12-31", "2026-07-15", "2027-Q1", "2027-01-01", "2027-03-31")]
    [TestCase("2026-08-15", "2026-07-15", "2026-Q4", "2026-10-01", "2026-12-31")]
    [TestCase("2026-12-31", "2027-05-01", "2027-Q1", "2027-01-01", "2027-03-31")]
    public void The_suggested_cycle_is_the_first_whole_quarter_after_the_latest(string? latestEnd, string today, string name, string start, string end)
    {
        var suggestion = SuggestCycle.Handler.Next(latestEnd is null ? null : DateOnly.Parse(latestEnd, CultureInfo.InvariantCulture), DateOnly.Parse(today, CultureInfo.InvariantCulture));

        Assert.That(suggestion, Is.EqualTo(new SuggestCycle.Suggestion(name, DateOnly.Parse(start, CultureInfo.InvariantCulture), DateOnly.Parse(end, CultureInfo.InvariantCulture))));
    }

    private static (decimal Weight, decimal Progress) KeyResultCell(string cell)
    {
        var match = KeyResultPattern().Match(cell);
        Assert.That(match.Success, Is.True, $"'{cell}' is not 'start→target @current ×weight'");
        var (start, target) = (Number(match.Groups[1].Value), Number(match.Groups[2].Value));
        var progress = OkrProgress.KeyResult(KeyResultType.Number, start, target,
            OkrProgress.ComparatorOf(OkrProgress.DirectionOf(start, target, null), null), NumberOrNull(match.Groups[3].Value));
        return (Number(match.Groups[4].Value), progress);
    }

    private const string ConformanceTables = "docs/okrs.md";

    /// <summary>The rows of the docs/okrs.md table with this header line, as cells.</summary>
    private static IEnumerable<TestCaseData> Rows(string header)
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf(ConformanceTables));
        var at = Array.IndexOf(lines, header);
        if (at < 0) throw new InvalidOperationException($"{ConformanceTables} has no table headed {header}");
        return lines.Skip(at + 2).TakeWhile(line => line.StartsWith('|'))
            .Select(line => line.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .Select(cells => new TestCaseData((object)cells).SetArgDisplayNames(string.Join(" | ", cells)))
            .ToList();
    }

    private static decimal Number(string cell) => decimal.Parse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static decimal? NumberOrNull(string cell) => cell == "none" ? null : Number(cell);

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(-?[\d.]+)→(-?[\d.]+) @(-?[\d.]+|none) ×([\d.]+)$")]
    private static partial Regex KeyResultPattern();
}
