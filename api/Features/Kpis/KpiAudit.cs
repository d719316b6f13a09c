namespace OkrKpi.Api.Features.Kpis;

/// <summary>How KPI definitions appear in the audit log: entity "kpi", the KPI's id, before/after as <see cref="KpiResponse"/>.</summary>
internal static class KpiAudit
{
    public const string Entity = "kpi";
}
