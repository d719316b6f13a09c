using OkrKpi.Api.Features.Kpis;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// The OKR maths of docs/okrs.md in one pure class: key result and objective progress, the expected progress of a
/// cycle at an instant, staleness and health. The README's progress conformance table is run against it.
/// </summary>
public static class OkrProgress
{
    /// <summary>Progress, expected progress and scores are reported to four decimal places.</summary>
    public const int Decimals = 4;

    /// <summary>A key result's direction: given by start → target, or chosen when they are equal (increase by default).</summary>
    public static KeyResultDirection DirectionOf(decimal start, decimal target, KeyResultDirection? chosen) =>
        target > start ? KeyResultDirection.Increase
        : target < start ? KeyResultDirection.Decrease
        : chosen ?? KeyResultDirection.Increase;

    /// <summary>
    /// The largest progress a key result reports before its target is met: a strict key result standing exactly on its
    /// target has the formula's 1 but has not met it.
    /// </summary>
    public const decimal AlmostMet = 0.9999m;

    /// <summary>The comparators a key result's target may use.</summary>
    public static readonly IReadOnlyList<TargetComparator> KeyResultComparators =
        [TargetComparator.AtLeast, TargetComparator.AtMost, TargetComparator.GreaterThan, TargetComparator.LessThan];

    /// <summary>A key result's comparator: the one chosen, else the inclusive one of its direction (atLeast or atMost).</summary>
    public static TargetComparator ComparatorOf(KeyResultDirection direction, TargetComparator? chosen) =>
        chosen ?? (direction == KeyResultDirection.Increase ? TargetComparator.AtLeast : TargetComparator.AtMost);

    /// <summary>The direction a comparator goes in: atLeast and greaterThan increase, atMost and lessThan decrease.</summary>
    public static KeyResultDirection DirectionOf(TargetComparator comparator) =>
        comparator is TargetComparator.AtLeast or TargetComparator.GreaterThan ? KeyResultDirection.Increase : KeyResultDirection.Decrease;

    /// <summary>
    /// clamp((current − start) / (target − start), 0, 1). A milestone, and a key result whose start equals its target,
    /// is 1 once the current value has met the target and 0 before. Met means reached for atLeast/atMost and passed for
    /// the strict greaterThan/lessThan, which report at most <see cref="AlmostMet"/> until then. No current value (a
    /// KPI-linked key result before its KPI's first measurement) is 0: silence is never progress.
    /// </summary>
    public static decimal KeyResult(KeyResultType type, decimal start, decimal target, TargetComparator comparator, decimal? current)
    {
        if (current is not { } value) return 0m;
        var met = Met(value, target, comparator);
        if (type == KeyResultType.Milestone || start == target)
            return met ? 1m : 0m;
        var progress = Math.Clamp((value - start) / (target - start), 0m, 1m);
        return met ? progress : Math.Min(progress, AlmostMet);
    }

    /// <summary>Whether a value meets a key result's target under its comparator.</summary>
    public static bool Met(decimal value, decimal target, TargetComparator comparator) => comparator switch
    {
        TargetComparator.AtLeast => value >= target,
        TargetComparator.GreaterThan => value > target,
        TargetComparator.AtMost => value <= target,
        TargetComparator.LessThan => value < target,
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "A key result's target is atLeast, atMost, greaterThan or lessThan."),
    };

    /// <summary>Σ(weight × progress) / Σ weight over the key results; null for an objective without key results.</summary>
    public static decimal? Objective(IEnumerable<(decimal Weight, decimal Progress)> keyResults)
    {
        decimal weights = 0m, weighted = 0m;
        foreach (var (weight, progress) in keyResults)
        {
            weights += weight;
            weighted += weight * progress;
        }
        return weights > 0m ? weighted / weights : null;
    }

    /// <summary>The first instant of the cycle and the first instant after it, in the organisation's time zone.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Span(DateOnly startDate, DateOnly endDate, TimeZoneInfo zone) =>
        (Midnight(startDate, zone), Midnight(endDate.AddDays(1), zone));

    /// <summary>The elapsed fraction of the cycle at <paramref name="now"/>: 0 before it starts, 1 after it ends.</summary>
    public static decimal Expected(DateOnly startDate, DateOnly endDate, DateTimeOffset now, TimeZoneInfo zone)
    {
        var (start, end) = Span(startDate, endDate, zone);
        if (now <= start) return 0m;
        if (now >= end) return 1m;
        return (decimal)(now - start).Ticks / (end - start).Ticks;
    }

    /// <summary>
    /// onTrack when progress ≥ expected − onTrack tolerance, atRisk when ≥ expected − atRisk tolerance, offTrack
    /// otherwise; notStarted before the cycle starts. A stale key result is never onTrack: it is reported atRisk at best.
    /// Compares the reported (rounded) figures, so a client recomputing from the response gets the same answer.
    /// </summary>
    public static OkrHealth Health(decimal progress, decimal expected, bool started, bool stale, OkrOptions options)
    {
        if (!started) return OkrHealth.NotStarted;
        progress = Round(progress);
        expected = Round(expected);
        var health = progress >= expected - options.OnTrackTolerance ? OkrHealth.OnTrack
            : progress >= expected - options.AtRiskTolerance ? OkrHealth.AtRisk
            : OkrHealth.OffTrack;
        return stale && health == OkrHealth.OnTrack ? OkrHealth.AtRisk : health;
    }

    /// <summary>
    /// Stale: the cycle is active, the key result's timeframe (<paramref name="start"/> up to <paramref name="end"/>, the
    /// cycle's unless it has its own) is running, and its last sign of life (its latest check-in, or for a KPI-linked one
    /// its KPI's latest measurement; otherwise when it was created or its timeframe started, whichever is later) is more
    /// than the configured number of days old. After its due date nobody is expected to check in, so it is not stale.
    /// </summary>
    public static bool IsStale(CycleStatus cycleStatus, DateTimeOffset start, DateTimeOffset end, DateTimeOffset? lastUpdate, DateTimeOffset createdAt,
        DateTimeOffset now, OkrOptions options)
    {
        if (cycleStatus != CycleStatus.Active || now < start || now >= end) return false;
        var since = lastUpdate ?? (createdAt > start ? createdAt : start);
        return now - since > TimeSpan.FromDays(options.StaleAfterDays);
    }

    public static decimal Round(decimal value) => Math.Round(value, Decimals, MidpointRounding.AwayFromZero);

    private static DateTimeOffset Midnight(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // A midnight skipped by a daylight-saving jump starts the day at the first valid instant after it.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
