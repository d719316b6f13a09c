using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.UnitTests.Features.Kpis;

/// <summary>
/// When something happened, as an event's occurredAt says it: any offset names one instant, a date is the start of that
/// day in the organisation's zone, and a sender's clock a little fast is forgiven.
/// </summary>
public sealed class KpiMomentsTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateTimeOffset Now = new(2026, 7, 15, 9, 30, 0, TimeSpan.Zero);

    [TestCase("2026-07-15T01:30:00+10:00", "2026-07-14")]
    [TestCase("2026-07-14T22:30:00Z", "2026-07-15")]
    [TestCase("2026-07-14T15:30:00-07:00", "2026-07-15")]
    [TestCase("2026-07-14T21:59:59Z", "2026-07-14")]
    public void An_instant_with_any_offset_lands_in_the_organisation_day_that_contains_it(string occurredAt, string day)
    {
        Assert.That(KpiPeriods.TryParseInstant(occurredAt, Berlin, Now, out var instant, out var error), Is.True, error);

        Assert.That(KpiPeriods.Label(KpiFrequency.Daily, KpiPeriods.StartOf(KpiFrequency.Daily, instant, Berlin), Berlin), Is.EqualTo(day));
    }

    [Test]
    public void A_date_is_the_start_of_that_day_in_the_organisation_zone()
    {
        Assert.That(KpiPeriods.TryParseInstant("2026-07-14", Berlin, Now, out var instant, out _), Is.True);

        Assert.That(instant, Is.EqualTo(new DateTimeOffset(2026, 7, 14, 0, 0, 0, TimeSpan.FromHours(2))));
    }

    [Test]
    public void A_moment_up_to_five_minutes_ahead_is_now()
    {
        Assert.That(KpiPeriods.TryParseInstant("2026-07-15T09:35:00Z", Berlin, Now, out var instant, out _), Is.True);

        Assert.That(instant, Is.EqualTo(Now));
    }

    [Test]
    public void A_moment_further_ahead_is_refused_as_future()
    {
        Assert.That(KpiPeriods.TryParseInstant("2026-07-15T09:35:01Z", Berlin, Now, out _, out var error), Is.False);

        Assert.That(error, Does.Contain("in the future"));
    }

    [Test]
    public void Tomorrow_in_the_organisation_zone_is_refused_even_when_it_is_already_tomorrow_somewhere()
    {
        Assert.That(KpiPeriods.TryParseInstant("2026-07-16", Berlin, Now, out _, out var error), Is.False);

        Assert.That(error, Does.Contain("in the future"));
    }
}
