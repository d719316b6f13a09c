namespace OkrKpi.Api.Features.Kpis;

/// <summary>How a KPI's values combine into one value of a coarser period (a monthly revenue read quarterly).</summary>
public enum KpiAggregation { Sum, Average, Last, Min, Max, Count, Median }

/// <summary>
/// The one home of rolling values up: which frequencies nest in which, and how the values of the finer periods inside
/// a coarser one combine. A coarser period combines the values it has; a period with none has no value.
/// </summary>
public static class KpiRollUp
{
    /// <summary>
    /// Whether every period of <paramref name="from"/> lies inside one period of <paramref name="to"/>: hours and days
    /// nest in everything coarser, months in quarters and years, quarters in years; ISO weeks straddle months and years,
    /// so they nest only in themselves.
    /// </summary>
    public static bool Nests(KpiFrequency from, KpiFrequency to) => from == to || (from, to) switch
    {
        (KpiFrequency.Hourly, _) => true,
        (KpiFrequency.Daily, not KpiFrequency.Hourly) => true,
        (KpiFrequency.Monthly, KpiFrequency.Quarterly or KpiFrequency.Yearly) => true,
        (KpiFrequency.Quarterly, KpiFrequency.Yearly) => true,
        _ => false,
    };

    public static string NestsIn(KpiFrequency from) =>
        string.Join(", ", Enum.GetValues<KpiFrequency>().Where(to => Nests(from, to)).Select(f => f.ToString().ToLowerInvariant()));

    /// <summary>
    /// The values of one coarser period, oldest first, combined by <paramref name="aggregation"/>; null when a sum or
    /// an average leaves the decimal range (no value, never an infinity).
    /// </summary>
    public static decimal? Combine(KpiAggregation aggregation, IReadOnlyList<decimal> values)
    {
        if (values.Count == 0) return null;
        try
        {
            return aggregation switch
            {
                KpiAggregation.Sum => values.Sum(),
                KpiAggregation.Average => Average(values),
                KpiAggregation.Last => values[^1],
                KpiAggregation.Min => values.Min(),
                KpiAggregation.Max => values.Max(),
                KpiAggregation.Count => values.Count,
                KpiAggregation.Median => Median(values),
                _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, null),
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static decimal Average(IReadOnlyList<decimal> values) => values.Sum() / values.Count;

    private static decimal Median(IReadOnlyList<decimal> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
