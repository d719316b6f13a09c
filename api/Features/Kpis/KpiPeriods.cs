using System.Globalization;

namespace OkrKpi.Api.Features.Kpis;

/// <summary>
/// The periods a KPI is measured in, aligned to its frequency in the organisation's time zone: the hour,
/// the day, the ISO week (from Monday), the month, the quarter, the year. A period is identified by the
/// instant it starts, carrying the zone's offset at that instant.
/// </summary>
public static class KpiPeriods
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private const string InstantExample = "an instant with an offset (2026-07-14T10:15:00Z)";

    // Seconds and fractions are optional; the offset is not: without it an instant names a wall-clock
    // time, which is a different instant in every zone.
    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd'T'HH:mmzzz",
    ];

    private static readonly string[] LocalDateTimeFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm"];

    /// <summary>The start of the period that contains <paramref name="instant"/>.</summary>
    public static DateTimeOffset StartOf(KpiFrequency frequency, DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        if (frequency is KpiFrequency.Hourly)
        {
            // Keeping the instant's own offset tells apart the two wall-clock hours of a DST fall-back. It assumes clocks
            // change by a whole hour on the hour; Lord Howe Island's half-hour DST, for one, does not.
            return new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
        }

        return AtLocalMidnight(FirstDay(frequency, DateOnly.FromDateTime(local.DateTime)), zone);
    }

    /// <summary>The start of the period after the one containing <paramref name="periodStart"/>.</summary>
    public static DateTimeOffset Next(KpiFrequency frequency, DateTimeOffset periodStart, TimeZoneInfo zone)
    {
        var start = StartOf(frequency, periodStart, zone);
        if (frequency is KpiFrequency.Hourly)
            return StartOf(frequency, start.AddHours(1), zone);

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime);
        var next = frequency switch
        {
            KpiFrequency.Daily => day.AddDays(1),
            KpiFrequency.Weekly => day.AddDays(7),
            KpiFrequency.Monthly => day.AddMonths(1),
            KpiFrequency.Quarterly => day.AddMonths(3),
            KpiFrequency.Yearly => day.AddYears(1),
            _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, null),
        };
        return AtLocalMidnight(next, zone);
    }

    /// <summary>The start of the period before the one containing <paramref name="periodStart"/>.</summary>
    public static DateTimeOffset Previous(KpiFrequency frequency, DateTimeOffset periodStart, TimeZoneInfo zone) =>
        StartOf(frequency, StartOf(frequency, periodStart, zone).AddTicks(-1), zone);

    /// <summary>
    /// The canonical label of the period containing <paramref name="periodStart"/>: <c>2026-07-14T10:00:00+02:00</c>
    /// (hourly: local wall-clock time with the zone's offset, <c>Z</c> when that offset is zero; the offset keeps
    /// the repeated hour of a DST fall-back apart), <c>2026-07-14</c>, <c>2026-W29</c>, <c>2026-07</c>,
    /// <c>2026-Q3</c>, <c>2026</c>. <see cref="TryParse"/> reads every label back to the same period start.
    /// </summary>
    public static string Label(KpiFrequency frequency, DateTimeOffset periodStart, TimeZoneInfo zone)
    {
        var start = TimeZoneInfo.ConvertTime(StartOf(frequency, periodStart, zone), zone);
        var day = DateOnly.FromDateTime(start.DateTime);
        return frequency switch
        {
            KpiFrequency.Hourly => start.Offset == TimeSpan.Zero
                ? start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Invariant)
                : start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", Invariant),
            KpiFrequency.Daily => day.ToString("yyyy-MM-dd", Invariant),
            KpiFrequency.Weekly => string.Create(Invariant,
                $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue)):D4}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):D2}"),
            KpiFrequency.Monthly => day.ToString("yyyy-MM", Invariant),
            KpiFrequency.Quarterly => string.Create(Invariant, $"{day.Year:D4}-Q{(day.Month - 1) / 3 + 1}"),
            KpiFrequency.Yearly => day.ToString("yyyy", Invariant),
            _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, null),
        };
    }

    /// <summary>
    /// Reads a period from what a client sent: an instant with an offset or Z, a date, an ISO week
    /// (<c>2026-W29</c>), a month (<c>2026-07</c>), a quarter (<c>2026-Q3</c>) or a year (<c>2026</c>), any of
    /// them anywhere inside the period, normalised to the period start. A label for a span that is not inside
    /// one period of <paramref name="frequency"/> is refused: it would not say which period is meant.
    /// </summary>
    public static bool TryParse(string text, KpiFrequency frequency, TimeZoneInfo zone,
        out DateTimeOffset periodStart, out string? error)
    {
        periodStart = default;
        var (kind, firstDay, instant, invalid) = Read(text);
        if (invalid is not null)
        {
            error = $"{invalid} {Accepted(frequency)}";
            return false;
        }

        var misfit = Misfit(kind, frequency);
        if (misfit is not null)
        {
            error = $"'{text}' is {misfit}. {Accepted(frequency)}";
            return false;
        }

        try
        {
            periodStart = kind is LabelKind.Instant
                ? StartOf(frequency, instant, zone)
                : AtLocalMidnight(FirstDay(frequency, firstDay), zone);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Only reachable at the edges of year 1 and year 9999, where the zone's offset leaves DateTimeOffset's range.
            error = $"'{text}' is outside the supported range of dates. {Accepted(frequency)}";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// How far ahead of the server's clock a sender's clock may run: an instant up to this far in the future is taken
    /// as now (a provider's clock a little fast must not lose its event); further ahead it is refused.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Reads the moment something happened: an instant with any offset (or Z), or a date, which is the start of that
    /// day in the organisation's <paramref name="zone"/>. An instant from the future within <see cref="ClockSkew"/> is
    /// <paramref name="now"/>; beyond it, or in another form, the error says why.
    /// </summary>
    public static bool TryParseInstant(string text, TimeZoneInfo zone, DateTimeOffset now, out DateTimeOffset instant, out string? error)
    {
        instant = default;
        var (kind, day, read, invalid) = Read(text);
        if (invalid is null && kind is not (LabelKind.Instant or LabelKind.Date))
            invalid = $"'{text}' is a period, not a moment.";
        if (invalid is not null)
        {
            error = $"{invalid} Send {InstantExample} or a date (2026-07-14, read in the organisation's time zone).";
            return false;
        }

        try
        {
            instant = kind is LabelKind.Instant ? read : AtLocalMidnight(day, zone);
        }
        catch (ArgumentOutOfRangeException)
        {
            error = $"'{text}' is outside the supported range of dates.";
            return false;
        }

        if (instant > now + ClockSkew)
        {
            error = $"'{text}' is in the future: it is more than {ClockSkew.TotalMinutes:0} minutes after the server's clock ({now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}).";
            return false;
        }

        if (instant > now) instant = now;
        error = null;
        return true;
    }

    private enum LabelKind { Instant, Date, Week, Month, Quarter, Year }

    private static (LabelKind Kind, DateOnly FirstDay, DateTimeOffset Instant, string? Invalid) Read(string text)
    {
        if (Shaped(text, "####-##-##T", prefixOnly: true))
        {
            if (DateTimeOffset.TryParseExact(text, InstantFormats, Invariant, DateTimeStyles.AssumeUniversal, out var instant))
                return (LabelKind.Instant, default, instant, null);
            return DateTime.TryParseExact(text, LocalDateTimeFormats, Invariant, DateTimeStyles.None, out _)
                ? (default, default, default, $"'{text}' has no offset, so it is a different instant in every time zone; add Z or an offset like +02:00.")
                : (default, default, default, $"'{text}' is not a valid ISO 8601 instant.");
        }

        if (Shaped(text, "####-##-##"))
        {
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var date)
                ? (LabelKind.Date, date, default, null)
                : (default, default, default, $"'{text}' is not a valid date.");
        }

        if (Shaped(text, "####-W##"))
        {
            var year = int.Parse(text.AsSpan(0, 4), NumberStyles.None, Invariant);
            var week = int.Parse(text.AsSpan(6, 2), NumberStyles.None, Invariant);
            if (year < 1)
                return (default, default, default, $"'{text}' is not a valid ISO week.");
            var weeks = ISOWeek.GetWeeksInYear(year);
            return week >= 1 && week <= weeks
                ? (LabelKind.Week, DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday)), default, null)
                : (default, default, default, $"'{text}' is not a valid ISO week ({year:D4} has weeks 01 to {weeks:D2}).");
        }

        if (Shaped(text, "####-##"))
        {
            return DateOnly.TryParseExact(text, "yyyy-MM", Invariant, DateTimeStyles.None, out var month)
                ? (LabelKind.Month, month, default, null)
                : (default, default, default, $"'{text}' is not a valid month.");
        }

        if (Shaped(text, "####-Q#"))
        {
            var year = int.Parse(text.AsSpan(0, 4), NumberStyles.None, Invariant);
            var quarter = text[6] - '0';
            return year >= 1 && quarter is >= 1 and <= 4
                ? (LabelKind.Quarter, new DateOnly(year, (quarter - 1) * 3 + 1, 1), default, null)
                : (default, default, default, $"'{text}' is not a valid quarter (Q1 to Q4).");
        }

        if (Shaped(text, "####"))
        {
            return DateOnly.TryParseExact(text, "yyyy", Invariant, DateTimeStyles.None, out var year)
                ? (LabelKind.Year, year, default, null)
                : (default, default, default, $"'{text}' is not a valid year.");
        }

        return (default, default, default, $"'{text}' is not a period.");
    }

    // '#' is an ASCII digit, anything else is itself. Only the shape picks the label kind; the exact
    // parsers above decide whether the label is a real date, week, month or quarter.
    private static bool Shaped(string text, string shape, bool prefixOnly = false)
    {
        if (prefixOnly ? text.Length < shape.Length : text.Length != shape.Length)
            return false;
        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] == '#' ? !char.IsAsciiDigit(text[i]) : text[i] != shape[i])
                return false;
        }
        return true;
    }

    private static string? Misfit(LabelKind kind, KpiFrequency frequency) => (kind, frequency) switch
    {
        (LabelKind.Instant, _) => null,
        (LabelKind.Date, KpiFrequency.Hourly) => "a date, which does not say which hour",
        (LabelKind.Date, _) => null,
        (LabelKind.Week, KpiFrequency.Weekly) => null,
        (LabelKind.Week, KpiFrequency.Hourly or KpiFrequency.Daily) => $"an ISO week, which is longer than {Period(frequency)}",
        // ISO weeks straddle month, quarter and year ends (2026-W01 starts on 2025-12-29).
        (LabelKind.Week, _) => $"an ISO week, which does not fit inside one {Unit(frequency)}",
        (LabelKind.Month, KpiFrequency.Monthly or KpiFrequency.Quarterly or KpiFrequency.Yearly) => null,
        (LabelKind.Month, _) => $"a month, which is longer than {Period(frequency)}",
        (LabelKind.Quarter, KpiFrequency.Quarterly or KpiFrequency.Yearly) => null,
        (LabelKind.Quarter, _) => $"a quarter, which is longer than {Period(frequency)}",
        (LabelKind.Year, KpiFrequency.Yearly) => null,
        (LabelKind.Year, _) => $"a year, which is longer than {Period(frequency)}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string Unit(KpiFrequency frequency) => frequency switch
    {
        KpiFrequency.Hourly => "hour",
        KpiFrequency.Daily => "day",
        KpiFrequency.Weekly => "week",
        KpiFrequency.Monthly => "month",
        KpiFrequency.Quarterly => "quarter",
        KpiFrequency.Yearly => "year",
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, null),
    };

    private static string Period(KpiFrequency frequency) => $"the {Unit(frequency)} {AKpi(frequency)} is measured in";

    private static string AKpi(KpiFrequency frequency) =>
        frequency is KpiFrequency.Hourly ? "an hourly KPI" : $"a {frequency.ToString().ToLowerInvariant()} KPI";

    private static string Accepted(KpiFrequency frequency)
    {
        string[] forms = frequency switch
        {
            KpiFrequency.Hourly => [InstantExample],
            KpiFrequency.Daily => [InstantExample, "a date (2026-07-14)"],
            KpiFrequency.Weekly => [InstantExample, "a date (2026-07-14)", "an ISO week (2026-W29)"],
            KpiFrequency.Monthly => [InstantExample, "a date (2026-07-14)", "a month (2026-07)"],
            KpiFrequency.Quarterly => [InstantExample, "a date (2026-07-14)", "a month (2026-07)", "a quarter (2026-Q3)"],
            KpiFrequency.Yearly => [InstantExample, "a date (2026-07-14)", "a month (2026-07)", "a quarter (2026-Q3)", "a year (2026)"],
            _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, null),
        };
        var list = forms.Length == 1 ? forms[0] : $"{string.Join(", ", forms[..^1])} or {forms[^1]}";
        var subject = AKpi(frequency);
        return $"{char.ToUpperInvariant(subject[0])}{subject[1..]} accepts {list}, anywhere inside the period.";
    }

    private static DateOnly FirstDay(KpiFrequency frequency, DateOnly day) => frequency switch
    {
        KpiFrequency.Daily => day,
        KpiFrequency.Weekly => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        KpiFrequency.Monthly => new DateOnly(day.Year, day.Month, 1),
        KpiFrequency.Quarterly => new DateOnly(day.Year, (day.Month - 1) / 3 * 3 + 1, 1),
        KpiFrequency.Yearly => new DateOnly(day.Year, 1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "Hourly periods do not start at a day boundary."),
    };

    /// <summary>
    /// The first instant of a local day. Where DST skips midnight (America/Santiago) the day starts when
    /// the clocks jump; where midnight happens twice (America/Havana) it starts at the first one.
    /// </summary>
    private static DateTimeOffset AtLocalMidnight(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

        if (zone.IsAmbiguousTime(midnight))
            return new DateTimeOffset(midnight, zone.GetAmbiguousTimeOffsets(midnight).Max());

        if (!zone.IsInvalidTime(midnight))
            return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));

        // The jump lies between midnight read with the largest and with the smallest offset around it; the
        // first second whose local time has reached midnight is when the day begins.
        var before = zone.GetUtcOffset(midnight.AddDays(-1));
        var after = zone.GetUtcOffset(midnight.AddDays(1));
        var low = (midnight - (before > after ? before : after)).Ticks / TimeSpan.TicksPerSecond;
        var high = (midnight - (before < after ? before : after)).Ticks / TimeSpan.TicksPerSecond;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(middle * TimeSpan.TicksPerSecond, TimeSpan.Zero), zone);
            if (local.DateTime >= midnight) high = middle; else low = middle + 1;
        }
        return TimeZoneInfo.ConvertTime(new DateTimeOffset(low * TimeSpan.TicksPerSecond, TimeSpan.Zero), zone);
    }
}
