using System.Globalization;
using System.Text;

namespace OkrKpi.Benchmarks;

/// <summary>
/// The benchmark's data, the same for the API and the raw references: KPI i is bench-iiii (daily, number,
/// atLeast 100 warning 90); day d is d days before the newest day, which is two days before today (UTC, the
/// organisation's default time zone), so no period is in the future; the value of (i, d) is a fixed
/// one-decimal number between 50.0 and 149.9.
/// </summary>
internal static class BenchData
{
    public static readonly DateOnly Newest = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);

    public static string Key(int i) => $"bench-{i.ToString("0000", CultureInfo.InvariantCulture)}";

    /// <summary>The period as it is sent: a date.</summary>
    public static string Period(int d) => Newest.AddDays(-d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The period as the API stores it: the start of the day as fixed-width UTC text (Database.SqliteText).</summary>
    public static string PeriodStored(int d) => Period(d) + "T00:00:00.0000000Z";

    /// <summary>The value as it is sent and as the API stores it (decimal's invariant text keeps the one decimal).</summary>
    public static string Value(int i, int d)
    {
        var k = (i * 37 + d * 11) % 1000;
        return (50 + k / 10).ToString(CultureInfo.InvariantCulture) + "." + (k % 10).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>An instant as the API stores it.</summary>
    public static string Instant(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string KpiJson(int i) =>
        "{\"key\":\"" + Key(i) + "\",\"name\":\"Bench KPI " + i.ToString(CultureInfo.InvariantCulture) +
        "\",\"valueType\":\"number\",\"frequency\":\"daily\",\"target\":{\"comparator\":\"atLeast\",\"value\":100,\"warning\":90}}";

    /// <summary>Writes kpi,period,value for KPIs first..first+kpis-1 (outer) and days 0..days-1 (inner); returns the row count.</summary>
    public static long WriteCsv(string path, int firstKpi, int kpis, int days)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        writer.WriteLine("kpi,period,value");
        var periods = Enumerable.Range(0, days).Select(Period).ToArray();
        long rows = 0;
        for (var n = 0; n < kpis; n++)
        {
            var key = Key(firstKpi + n);
            for (var d = 0; d < days; d++)
            {
                writer.Write(key);
                writer.Write(',');
                writer.Write(periods[d]);
                writer.Write(',');
                writer.Write(Value(firstKpi + n, d));
                writer.Write('\n');
                rows++;
            }
        }
        return rows;
    }
}

/// <summary>Rows as the API stores them, for a raw reference: the KPI's id, the stored period and the value text.</summary>
internal sealed class RowSet(int capacity)
{
    public readonly string[] KpiId = new string[capacity];
    public readonly string[] Period = new string[capacity];
    public readonly string[] Value = new string[capacity];
    public int Count { get; private set; }

    public void Add(string kpiId, string period, string value)
    {
        KpiId[Count] = kpiId;
        Period[Count] = period;
        Value[Count] = value;
        Count++;
    }

    /// <summary>KPI-major rows, in the order of <see cref="BenchData.WriteCsv"/>. <paramref name="ids"/>[n] is KPI firstKpi+n.</summary>
    public static RowSet KpiMajor(IReadOnlyList<string> ids, int firstKpi, int kpis, int days, int firstDay = 0)
    {
        var set = new RowSet(kpis * days);
        var periods = Enumerable.Range(firstDay, days).Select(BenchData.PeriodStored).ToArray();
        for (var n = 0; n < kpis; n++)
            for (var d = 0; d < days; d++)
                set.Add(ids[n], periods[d], BenchData.Value(firstKpi + n, firstDay + d));
        return set;
    }
}
