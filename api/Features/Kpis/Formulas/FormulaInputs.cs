namespace OkrKpi.Api.Features.Kpis.Formulas;

/// <summary>An input's stored value for one of its own periods.</summary>
internal sealed class InputRow
{
    public Guid KpiId { get; init; }
    public DateTimeOffset PeriodStart { get; init; }
    public decimal Value { get; init; }
}

/// <summary>
/// The inputs of one computed KPI, each rolled up into the computed KPI's periods with the input's aggregation
/// (<see cref="KpiRollUp"/>); an input of the same frequency is taken as it is.
/// </summary>
internal sealed class FormulaInputs(KpiFrequency frequency, TimeZoneInfo zone) : IFormulaInputs
{
    private readonly Dictionary<string, Dictionary<DateTimeOffset, InputValue>> _byKey = [];

    /// <summary>Adds an input's rows, ordered by period.</summary>
    public void Add(KpiRow input, IEnumerable<InputRow> rows)
    {
        var series = new Dictionary<DateTimeOffset, InputValue>();
        _byKey[input.KeyNormalized] = series;
        if (input.Frequency == frequency)
        {
            foreach (var row in rows) series[row.PeriodStart] = new InputValue(row.Value, 1, null);
            return;
        }
        DateTimeOffset? current = null;
        var values = new List<decimal>();
        foreach (var row in rows)
        {
            var start = KpiPeriods.StartOf(frequency, row.PeriodStart, zone);
            if (current != start) Flush();
            current = start;
            values.Add(row.Value);
        }
        Flush();

        void Flush()
        {
            if (current is { } period && KpiRollUp.Combine(input.Aggregation, values) is { } combined)
                series[period] = new InputValue(combined, values.Count, input.Aggregation);
            values.Clear();
        }
    }

    public InputValue? Find(string key, DateTimeOffset periodStart) =>
        _byKey.TryGetValue(key, out var series) && series.TryGetValue(periodStart, out var value) ? value : null;

    /// <summary>The computed KPI's periods in which some input has a value.</summary>
    public IEnumerable<DateTimeOffset> Periods => _byKey.Values.SelectMany(series => series.Keys);
}
