namespace OkrKpi.Api.Features.Kpis;

public enum KpiPeriodStatus { OnTarget, AtRisk, OffTarget, NoData }

/// <summary>
/// A KPI's standing: the status its latest value earns, and whether measurements have stopped arriving.
/// <see cref="Status"/> stays the value's status so a screen can still say "last value was on target";
/// <see cref="DisplayStatus"/> is the one word to show, and there "late" wins, because silence is never green.
/// </summary>
public sealed record KpiHealth(KpiPeriodStatus Status, bool Late)
{
    /// <summary><c>late</c>, else <c>onTarget</c>, <c>atRisk</c>, <c>offTarget</c> or <c>noData</c>.</summary>
    public string DisplayStatus => Late ? "late" : Status switch
    {
        KpiPeriodStatus.OnTarget => "onTarget",
        KpiPeriodStatus.AtRisk => "atRisk",
        KpiPeriodStatus.OffTarget => "offTarget",
        KpiPeriodStatus.NoData => "noData",
        _ => throw new ArgumentOutOfRangeException(nameof(Status), Status, null),
    };
}

/// <summary>
/// Turns a KPI's target and measurements into a status. The boundaries are inclusive (but for the strict
/// greaterThan and lessThan, whose bound itself is not on target) and published
/// (the README's conformance table); a test runs every row of that table.
/// </summary>
public static class KpiStatusEngine
{
    /// <summary>The status one value earns against the target; <c>null</c> (no measurement) is <see cref="KpiPeriodStatus.NoData"/>.</summary>
    /// <exception cref="ArgumentException">The target lacks a field its comparator needs; <see cref="KpiTargetValidator"/> rejects such targets.</exception>
    public static KpiPeriodStatus Evaluate(KpiTarget target, decimal? value)
    {
        if (value is not { } v)
            return KpiPeriodStatus.NoData;

        return target.Comparator switch
        {
            TargetComparator.AtLeast => AtLeast(v, Required(target.Value, target), target.Warning),
            // atMost is atLeast on the mirrored axis.
            TargetComparator.AtMost => AtLeast(-v, -Required(target.Value, target), -target.Warning),
            TargetComparator.GreaterThan => GreaterThan(v, Required(target.Value, target), target.Warning),
            // lessThan is greaterThan on the mirrored axis.
            TargetComparator.LessThan => GreaterThan(-v, -Required(target.Value, target), -target.Warning),
            TargetComparator.Between => Between(v, Required(target.Low, target), Required(target.High, target), target.Warning),
            TargetComparator.EqualTo => EqualTo(v, Required(target.Value, target), target.Warning),
            _ => throw new ArgumentException("The target has no comparator.", nameof(target)),
        };
    }

    /// <summary>
    /// Whether the last completed period (the one before the period containing <paramref name="now"/>) has no
    /// value: the newest measurement's period starts before it. The current period is still open, so its
    /// missing value is not yet late.
    /// </summary>
    public static bool IsLate(KpiFrequency frequency, DateTimeOffset? newestPeriodStart, DateTimeOffset now, TimeZoneInfo zone)
    {
        // A KPI that was never measured is not late but noData: there is no cadence it fell behind on, and
        // Evaluate already reports the missing value.
        if (newestPeriodStart is not { } newest)
            return false;

        var lastCompleted = KpiPeriods.Previous(frequency, KpiPeriods.StartOf(frequency, now, zone), zone);
        return newest < lastCompleted;
    }

    /// <summary>The status of the latest value together with its lateness; see <see cref="KpiHealth.DisplayStatus"/>.</summary>
    public static KpiHealth Summarize(KpiTarget target, decimal? latestValue, DateTimeOffset? latestPeriodStart,
        KpiFrequency frequency, DateTimeOffset now, TimeZoneInfo zone) =>
        new(Evaluate(target, latestValue), IsLate(frequency, latestPeriodStart, now, zone));

    private static KpiPeriodStatus AtLeast(decimal value, decimal floor, decimal? warning)
    {
        if (value >= floor) return KpiPeriodStatus.OnTarget;
        return warning is { } w && value >= w ? KpiPeriodStatus.AtRisk : KpiPeriodStatus.OffTarget;
    }

    private static KpiPeriodStatus GreaterThan(decimal value, decimal bound, decimal? warning)
    {
        if (value > bound) return KpiPeriodStatus.OnTarget;
        return warning is { } w && value >= w ? KpiPeriodStatus.AtRisk : KpiPeriodStatus.OffTarget;
    }

    private static KpiPeriodStatus Between(decimal value, decimal low, decimal high, decimal? warning)
    {
        if (value >= low && value <= high) return KpiPeriodStatus.OnTarget;
        if (warning is not { } w) return KpiPeriodStatus.OffTarget;

        // One warning sets a band of the same width on both sides of the range.
        var band = w < low ? low - w : w - high;
        return value >= low - band && value <= high + band ? KpiPeriodStatus.AtRisk : KpiPeriodStatus.OffTarget;
    }

    private static KpiPeriodStatus EqualTo(decimal value, decimal exact, decimal? warning)
    {
        if (value == exact) return KpiPeriodStatus.OnTarget;
        return warning is { } w && Math.Abs(value - exact) <= Math.Abs(w - exact) ? KpiPeriodStatus.AtRisk : KpiPeriodStatus.OffTarget;
    }

    private static decimal Required(decimal? field, KpiTarget target) =>
        field ?? throw new ArgumentException($"The {target.Comparator} target lacks a value it needs.", nameof(target));
}
