namespace OkrKpi.Api.Features.Kpis;

/// <summary>The parameter set for writing a KPI definition's columns; enums are stored by name.</summary>
internal static class KpiColumns
{
    public static object From(Guid id, IKpiDefinition definition, KpiStatus status, DateTimeOffset now) => new
    {
        Id = id,
        Key = definition.Key.Trim(),
        KeyNormalized = KpiDefinition.NormalizeKey(definition.Key),
        Name = definition.Name.Trim(),
        Description = definition.Description?.Trim(),
        Formula = definition.Formula?.Trim(),
        Unit = definition.Unit?.Trim(),
        ValueType = definition.ValueType!.Value.ToString(),
        Frequency = definition.Frequency!.Value.ToString(),
        TargetComparator = definition.Target!.Comparator!.Value.ToString(),
        TargetValue = definition.Target.Value,
        TargetLow = definition.Target.Low,
        TargetHigh = definition.Target.High,
        TargetWarning = definition.Target.Warning,
        definition.OwnerTeamId,
        Aggregation = (definition.Aggregation ?? KpiAggregation.Last).ToString(),
        FedBy = (definition.FedBy ?? KpiFedBy.Values).ToString(),
        Status = status.ToString(),
        Now = now,
    };
}
