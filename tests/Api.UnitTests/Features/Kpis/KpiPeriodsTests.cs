using System.Globalization;
using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.UnitTests.Features.Kpis;

public sealed class KpiPeriodsTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [TestCase(KpiFrequency.Hourly, "2026-07-15T10:00:00+00:00")]
    [TestCase(KpiFrequency.Daily, "2026-07-15T00:00:00+00:00")]
    [TestCase(KpiFrequency.Weekly, "2026-07-13T00:00:00+00:00")]
    [TestCase(KpiFrequency.Monthly, "2026-07-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Quarterly, "2026-07-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Yearly, "2026-01-01T00:00:00+00:00")]
    public void A_period_starts_at_the_beginning_of_the_hour_day_iso_week_month_quarter_or_year(KpiFrequency frequency, string start)
    {
        var instant = Instant("2026-07-15T10:30:45.123+00:00");

        Assert.That(Iso(KpiPeriods.StartOf(frequency, instant, Utc)), Is.EqualTo(start));
    }

    [TestCase(KpiFrequency.Hourly, "2026-07-14T10:15:00Z", "2026-07-14T10:00:00+00:00")]
    [TestCase(KpiFrequency.Hourly, "2026-07-14T10:15:00+02:00", "2026-07-14T08:00:00+00:00")]
    [TestCase(KpiFrequency.Hourly, "2026-07-14T10:15:30.25Z", "2026-07-14T10:00:00+00:00")]
    [TestCase(KpiFrequency.Hourly, "2026-07-14T10:15Z", "2026-07-14T10:00:00+00:00")]
    [TestCase(KpiFrequency.Daily, "2026-07-14", "2026-07-14T00:00:00+00:00")]
    [TestCase(KpiFrequency.Daily, "2026-07-14T23:59:59Z", "2026-07-14T00:00:00+00:00")]
    [TestCase(KpiFrequency.Daily, "2026-07-15T01:00:00+02:00", "2026-07-14T00:00:00+00:00")]
    [TestCase(KpiFrequency.Weekly, "2026-W29", "2026-07-13T00:00:00+00:00")]
    [TestCase(KpiFrequency.Weekly, "2026-07-19", "2026-07-13T00:00:00+00:00")]
    [TestCase(KpiFrequency.Weekly, "2026-07-13T00:00:00Z", "2026-07-13T00:00:00+00:00")]
    [TestCase(KpiFrequency.Monthly, "2026-07", "2026-07-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Monthly, "2026-07-31", "2026-07-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Monthly, "2026-07-31T23:59:59.9999999Z", "2026-07-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Quarterly, "2026-Q1", "2026-01-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Quarterly, "2026-Q3", "2026-07-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Quarterly, "2026-Q4", "2026-10-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Quarterly, "2026-09", "2026-07-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Quarterly, "2026-09-30", "2026-07-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Yearly, "2026", "2026-01-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Yearly, "2026-Q4", "2026-01-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Yearly, "2026-12", "2026-01-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Yearly, "2026-12-31", "2026-01-01T00:00:00+00:00")]
    [TestCase(KpiFrequency.Yearly, "2026-07-14T10:15:00Z", "2026-01-01T00:00:00+00:00")]
    public void A_label_anywhere_inside_the_period_is_normalised_to_the_period_start(KpiFrequency frequency, string text, string start)
    {
        var parsed = KpiPeriods.TryParse(text, frequency, Utc, out var periodStart, out var error);

        Assert.That(parsed, Is.True, error);
        Assert.That(Iso(periodStart), Is.EqualTo(start));
        Assert.That(error, Is.Null);
    }

    [TestCase("2026-W01", "2025-12-29")]
    [TestCase("2026-W53", "2026-12-28")]
    [TestCase("2027-W01", "2027-01-04")]
    [TestCase("2020-W53", "2020-12-28")]
    [TestCase("2021-W01", "2021-01-04")]
    public void Iso_weeks_belong_to_their_week_based_year_across_new_year(string label, string monday)
    {
        KpiPeriods.TryParse(label, KpiFrequency.Weekly, Utc, out var periodStart, out _);

        Assert.That(Iso(periodStart), Is.EqualTo($"{monday}T00:00:00+00:00"));
        Assert.That(KpiPeriods.Label(KpiFrequency.Weekly, periodStart, Utc), Is.EqualTo(label));
    }

    [TestCase("2026-01-01", "2026-W01")]
    [TestCase("2025-12-29", "2026-W01")]
    [TestCase("2025-12-28", "2025-W52")]
    [TestCase("2027-01-03", "2026-W53")]
    [TestCase("2027-01-04", "2027-W01")]
    public void A_date_near_new_year_falls_in_the_iso_week_of_its_week_based_year(string date, string week)
    {
        KpiPeriods.TryParse(date, KpiFrequency.Weekly, Utc, out var periodStart, out _);

        Assert.That(KpiPeriods.Label(KpiFrequency.Weekly, periodStart, Utc), Is.EqualTo(week));
    }

    [TestCase(KpiFrequency.Hourly, "2026-07-14T10:00:00Z")]
    [TestCase(KpiFrequency.Daily, "2026-07-14")]
    [TestCase(KpiFrequency.Weekly, "2026-W29")]
    [TestCase(KpiFrequency.Monthly, "2026-07")]
    [TestCase(KpiFrequency.Quarterly, "2026-Q3")]
    [TestCase(KpiFrequency.Yearly, "2026")]
    public void Each_frequency_has_a_canonical_label(KpiFrequency frequency, string label)
    {
        var instant = Instant("2026-07-14T10:15:00+00:00");

        Assert.That(KpiPeriods.Label(frequency, instant, Utc), Is.EqualTo(label));
    }

    [Test]
    public void An_hourly_label_carries_the_organisations_offset()
    {
        var instant = Instant("2026-07-14T08:15:00+00:00");

        Assert.That(KpiPeriods.Label(KpiFrequency.Hourly, instant, Berlin), Is.EqualTo("2026-07-14T10:00:00+02:00"));
    }

    [TestCase("2026-03-28", "2026-03-28T00:00:00+01:00")]
    [TestCase("2026-03-29", "2026-03-29T00:00:00+01:00")]
    [TestCase("2026-03-30", "2026-03-30T00:00:00+02:00")]
    [TestCase("2026-10-25", "2026-10-25T00:00:00+02:00")]
    [TestCase("2026-10-26", "2026-10-26T00:00:00+01:00")]
    public void A_berlin_day_starts_at_local_midnight_with_the_offset_of_that_moment(string date, string start)
    {
        KpiPeriods.TryParse(date, KpiFrequency.Daily, Berlin, out var periodStart, out _);

        Assert.That(Iso(periodStart), Is.EqualTo(start));
    }

    [Test]
    public void The_berlin_day_of_the_spring_dst_change_lasts_23_hours()
    {
        var day = KpiPeriods.StartOf(KpiFrequency.Daily, Instant("2026-03-29T12:00:00+02:00"), Berlin);

        var next = KpiPeriods.Next(KpiFrequency.Daily, day, Berlin);

        Assert.That(Iso(day), Is.EqualTo("2026-03-29T00:00:00+01:00"));
        Assert.That(Iso(next), Is.EqualTo("2026-03-30T00:00:00+02:00"));
        Assert.That(next - day, Is.EqualTo(TimeSpan.FromHours(23)));
        Assert.That(Iso(KpiPeriods.Previous(KpiFrequency.Daily, next, Berlin)), Is.EqualTo("2026-03-29T00:00:00+01:00"));
    }

    [Test]
    public void An_instant_late_in_the_utc_evening_belongs_to_the_next_berlin_day()
    {
        var start = KpiPeriods.StartOf(KpiFrequency.Daily, Instant("2026-03-29T22:30:00+00:00"), Berlin);

        Assert.That(Iso(start), Is.EqualTo("2026-03-30T00:00:00+02:00"));
    }

    [Test]
    public void Berlin_hours_skip_the_missing_hour_of_the_spring_dst_change()
    {
        var afterJump = KpiPeriods.StartOf(KpiFrequency.Hourly, Instant("2026-03-29T03:30:00+02:00"), Berlin);

        var beforeJump = KpiPeriods.Previous(KpiFrequency.Hourly, afterJump, Berlin);

        Assert.That(Iso(afterJump), Is.EqualTo("2026-03-29T03:00:00+02:00"));
        Assert.That(Iso(beforeJump), Is.EqualTo("2026-03-29T01:00:00+01:00"));
        Assert.That(afterJump - beforeJump, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [Test]
    public void Berlin_hours_tell_apart_the_repeated_hour_of_the_autumn_dst_change()
    {
        var first = KpiPeriods.StartOf(KpiFrequency.Hourly, Instant("2026-10-25T02:30:00+02:00"), Berlin);

        var second = KpiPeriods.Next(KpiFrequency.Hourly, first, Berlin);

        Assert.That(KpiPeriods.Label(KpiFrequency.Hourly, first, Berlin), Is.EqualTo("2026-10-25T02:00:00+02:00"));
        Assert.That(KpiPeriods.Label(KpiFrequency.Hourly, second, Berlin), Is.EqualTo("2026-10-25T02:00:00+01:00"));
        Assert.That(second - first, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [Test]
    public void A_berlin_week_spanning_the_dst_change_starts_and_ends_at_local_midnight_on_monday()
    {
        KpiPeriods.TryParse("2026-W13", KpiFrequency.Weekly, Berlin, out var week, out _);

        var next = KpiPeriods.Next(KpiFrequency.Weekly, week, Berlin);

        Assert.That(Iso(week), Is.EqualTo("2026-03-23T00:00:00+01:00"));
        Assert.That(Iso(next), Is.EqualTo("2026-03-30T00:00:00+02:00"));
    }

    [Test]
    public void Where_dst_skips_midnight_the_day_starts_when_the_clocks_jump()
    {
        // Chile moves from -04:00 to -03:00 at local midnight starting Sunday 2026-09-06: 00:00 never happens.
        var santiago = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

        KpiPeriods.TryParse("2026-09-06", KpiFrequency.Daily, santiago, out var day, out _);

        Assert.That(Iso(day), Is.EqualTo("2026-09-06T01:00:00-03:00"));
        Assert.That(Iso(KpiPeriods.Previous(KpiFrequency.Daily, day, santiago)), Is.EqualTo("2026-09-05T00:00:00-04:00"));
        Assert.That(KpiPeriods.Label(KpiFrequency.Daily, day, santiago), Is.EqualTo("2026-09-06"));
    }

    [Test]
    public void Where_midnight_happens_twice_the_day_starts_at_the_first_one()
    {
        // Cuba moves from -04:00 back to -05:00 at 01:00 on Sunday 2026-11-01, so 00:00 happens twice.
        var havana = TimeZoneInfo.FindSystemTimeZoneById("America/Havana");

        KpiPeriods.TryParse("2026-11-01", KpiFrequency.Daily, havana, out var day, out _);

        Assert.That(Iso(day), Is.EqualTo("2026-11-01T00:00:00-04:00"));
        Assert.That(Iso(KpiPeriods.Next(KpiFrequency.Daily, day, havana)), Is.EqualTo("2026-11-02T00:00:00-05:00"));
    }

    [TestCase("2026-02-30", KpiFrequency.Daily, "'2026-02-30' is not a valid date.")]
    [TestCase("2026-W54", KpiFrequency.Weekly, "'2026-W54' is not a valid ISO week (2026 has weeks 01 to 53).")]
    [TestCase("2027-W53", KpiFrequency.Weekly, "'2027-W53' is not a valid ISO week (2027 has weeks 01 to 52).")]
    [TestCase("2026-W00", KpiFrequency.Weekly, "'2026-W00' is not a valid ISO week")]
    [TestCase("2026-Q5", KpiFrequency.Quarterly, "'2026-Q5' is not a valid quarter (Q1 to Q4).")]
    [TestCase("2026-Q0", KpiFrequency.Yearly, "'2026-Q0' is not a valid quarter")]
    [TestCase("2026-13", KpiFrequency.Monthly, "'2026-13' is not a valid month.")]
    [TestCase("0000", KpiFrequency.Yearly, "'0000' is not a valid year.")]
    [TestCase("2026-07-14T25:00:00Z", KpiFrequency.Hourly, "is not a valid ISO 8601 instant")]
    [TestCase("2026-07-14T10:15:00", KpiFrequency.Hourly, "has no offset")]
    [TestCase("2026-07-14", KpiFrequency.Hourly, "'2026-07-14' is a date, which does not say which hour.")]
    [TestCase("2026-W29", KpiFrequency.Daily, "an ISO week, which is longer than the day a daily KPI is measured in")]
    [TestCase("2026-07", KpiFrequency.Daily, "'2026-07' is a month, which is longer than the day a daily KPI is measured in.")]
    [TestCase("2026-07", KpiFrequency.Weekly, "a month, which is longer than the week")]
    [TestCase("2026-W29", KpiFrequency.Monthly, "'2026-W29' is an ISO week, which does not fit inside one month.")]
    [TestCase("2026-W29", KpiFrequency.Yearly, "an ISO week, which does not fit inside one year")]
    [TestCase("2026-Q3", KpiFrequency.Monthly, "a quarter, which is longer than the month")]
    [TestCase("2026", KpiFrequency.Quarterly, "'2026' is a year, which is longer than the quarter a quarterly KPI is measured in.")]
    [TestCase("", KpiFrequency.Daily, "'' is not a period.")]
    [TestCase("yesterday", KpiFrequency.Daily, "'yesterday' is not a period.")]
    [TestCase("2026-7-14", KpiFrequency.Daily, "is not a period")]
    [TestCase(" 2026-07-14", KpiFrequency.Daily, "is not a period")]
    [TestCase("2026/07/14", KpiFrequency.Daily, "is not a period")]
    [TestCase("2026-w29", KpiFrequency.Weekly, "is not a period")]
    public void A_label_that_is_invalid_or_does_not_fit_the_frequency_is_rejected(string text, KpiFrequency frequency, string error)
    {
        var parsed = KpiPeriods.TryParse(text, frequency, Utc, out _, out var message);

        Assert.That(parsed, Is.False);
        Assert.That(message, Does.Contain(error));
    }

    [TestCase(KpiFrequency.Hourly, "An hourly KPI accepts an instant with an offset (2026-07-14T10:15:00Z), anywhere inside the period.")]
    [TestCase(KpiFrequency.Daily, "A daily KPI accepts an instant with an offset (2026-07-14T10:15:00Z) or a date (2026-07-14), anywhere inside the period.")]
    [TestCase(KpiFrequency.Weekly, "A weekly KPI accepts an instant with an offset (2026-07-14T10:15:00Z), a date (2026-07-14) or an ISO week (2026-W29), anywhere inside the period.")]
    [TestCase(KpiFrequency.Monthly, "A monthly KPI accepts an instant with an offset (2026-07-14T10:15:00Z), a date (2026-07-14) or a month (2026-07), anywhere inside the period.")]
    [TestCase(KpiFrequency.Quarterly, "A quarterly KPI accepts an instant with an offset (2026-07-14T10:15:00Z), a date (2026-07-14), a month (2026-07) or a quarter (2026-Q3), anywhere inside the period.")]
    [TestCase(KpiFrequency.Yearly, "A yearly KPI accepts an instant with an offset (2026-07-14T10:15:00Z), a date (2026-07-14), a month (2026-07), a quarter (2026-Q3) or a year (2026), anywhere inside the period.")]
    public void A_rejection_names_the_forms_the_frequency_accepts(KpiFrequency frequency, string accepted)
    {
        KpiPeriods.TryParse("nonsense", frequency, Utc, out _, out var error);

        Assert.That(error, Does.EndWith(accepted));
    }

    [TestCase(KpiFrequency.Hourly, "UTC", "2026-03-27T00:00:00Z", 24 * 6)]
    [TestCase(KpiFrequency.Hourly, "Europe/Berlin", "2026-03-27T00:00:00Z", 24 * 6)]
    [TestCase(KpiFrequency.Hourly, "Europe/Berlin", "2026-10-23T00:00:00Z", 24 * 6)]
    [TestCase(KpiFrequency.Daily, "UTC", "2025-12-01T00:00:00Z", 430)]
    [TestCase(KpiFrequency.Daily, "Europe/Berlin", "2025-12-01T00:00:00Z", 430)]
    [TestCase(KpiFrequency.Daily, "America/Santiago", "2025-12-01T00:00:00Z", 430)]
    [TestCase(KpiFrequency.Daily, "America/Havana", "2025-12-01T00:00:00Z", 430)]
    [TestCase(KpiFrequency.Weekly, "UTC", "2019-12-01T00:00:00Z", 480)]
    [TestCase(KpiFrequency.Weekly, "Europe/Berlin", "2019-12-01T00:00:00Z", 480)]
    [TestCase(KpiFrequency.Monthly, "Europe/Berlin", "2024-01-15T00:00:00Z", 60)]
    [TestCase(KpiFrequency.Quarterly, "Europe/Berlin", "2024-01-15T00:00:00Z", 20)]
    [TestCase(KpiFrequency.Yearly, "Europe/Berlin", "2020-06-15T00:00:00Z", 10)]
    public void Every_label_parses_back_to_its_period_start(KpiFrequency frequency, string zoneId, string from, int periods)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var start = KpiPeriods.StartOf(frequency, Instant(from), zone);

        Assert.Multiple(() =>
        {
            for (var i = 0; i < periods; i++, start = KpiPeriods.Next(frequency, start, zone))
            {
                var label = KpiPeriods.Label(frequency, start, zone);
                var parsed = KpiPeriods.TryParse(label, frequency, zone, out var reparsed, out var error);

                Assert.That(parsed, Is.True, error);
                Assert.That(Iso(reparsed), Is.EqualTo(Iso(start)), label);
                Assert.That(Iso(KpiPeriods.StartOf(frequency, start, zone)), Is.EqualTo(Iso(start)), label);
                Assert.That(Iso(KpiPeriods.Previous(frequency, KpiPeriods.Next(frequency, start, zone), zone)), Is.EqualTo(Iso(start)), label);
            }
        });
    }

    [TestCase(KpiFrequency.Daily, "2026-07-14T10:15:00Z")]
    [TestCase(KpiFrequency.Monthly, "2026-07-14T10:15:00Z")]
    public void Next_and_previous_accept_any_instant_inside_the_period(KpiFrequency frequency, string instant)
    {
        var inside = Instant(instant);
        var start = KpiPeriods.StartOf(frequency, inside, Utc);

        Assert.That(KpiPeriods.Next(frequency, inside, Utc), Is.EqualTo(KpiPeriods.Next(frequency, start, Utc)));
        Assert.That(KpiPeriods.Previous(frequency, inside, Utc), Is.EqualTo(KpiPeriods.Previous(frequency, start, Utc)));
    }

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    // DateTimeOffset equality ignores the offset; the text shows it, and the offset is part of the contract.
    private static string Iso(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
