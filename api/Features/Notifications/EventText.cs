using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>
/// The sentences people read in a Slack or Teams message and in an in-app alert, e.g.
/// "Defect rate is off target: 2.4 % against ≤ 2 % for 2026-W49". Every event's payload carries its sentence as
/// <c>summary</c>, written once when the event is emitted.
/// </summary>
internal static class EventText
{
    public static string Status(KpiPeriodStatus status) => status switch
    {
        KpiPeriodStatus.OnTarget => "on target",
        KpiPeriodStatus.AtRisk => "at risk",
        KpiPeriodStatus.OffTarget => "off target",
        _ => "without data",
    };

    public static string Wire(KpiPeriodStatus status) => status switch
    {
        KpiPeriodStatus.OnTarget => "onTarget",
        KpiPeriodStatus.AtRisk => "atRisk",
        KpiPeriodStatus.OffTarget => "offTarget",
        _ => "noData",
    };

    public static string KpiStatus(KpiRow kpi, KpiPeriodStatus status, decimal? value, string period) =>
        value is { } v
            ? $"{kpi.Name} is {Status(status)}: {Quantity(kpi, v)} against {Target(kpi)} for {period}"
            : $"{kpi.Name} has no value for {period}";

    public static string ValueRecorded(KpiRow kpi, decimal value, KpiPeriodStatus status, string period) =>
        $"{kpi.Name} recorded {Quantity(kpi, value)} for {period} ({Status(status)}; target {Target(kpi)})";

    public static string Late(KpiRow kpi, string missingPeriod) => $"{kpi.Name} is late: no value for {missingPeriod}";

    /// <summary>"≤ 2 %", "≥ 100 EUR", "1–3 %", "= yes".</summary>
    public static string Target(KpiRow kpi) => kpi.TargetComparator switch
    {
        TargetComparator.AtLeast => $"≥ {Quantity(kpi, kpi.TargetValue ?? 0)}",
        TargetComparator.AtMost => $"≤ {Quantity(kpi, kpi.TargetValue ?? 0)}",
        TargetComparator.Between => $"{Number(kpi, kpi.TargetLow ?? 0)}–{Quantity(kpi, kpi.TargetHigh ?? 0)}",
        _ => $"= {Quantity(kpi, kpi.TargetValue ?? 0)}",
    };

    public static string Quantity(KpiRow kpi, decimal value) =>
        kpi.ValueType == KpiValueType.Boolean || string.IsNullOrWhiteSpace(kpi.Unit) ? Number(kpi, value) : $"{Number(kpi, value)} {kpi.Unit.Trim()}";

    private static string Number(KpiRow kpi, decimal value) =>
        kpi.ValueType == KpiValueType.Boolean ? (value != 0 ? "yes" : "no") : MeasurementRules.Shortest(value).Text;
}
