using System.Data.Common;
using Dapper;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Errors;

namespace OkrKpi.Api.Features.Okrs;

/// <summary>
/// Reads objectives with their key results and computes progress, expected progress, staleness and health as of now.
/// A KPI-linked key result's current value is joined from its KPI's latest measurement on every read, so a push moves
/// the key result and its objective at once, on every instance, with nothing to keep in sync. Three queries per call,
/// whatever the number of objectives.
/// </summary>
public sealed class OkrReader(Organisation organisation, TimeProvider clock, OkrOptions options)
{
    private const string ObjectivesFrom = """
        SELECT o.Id, o.CycleId, o.Title, o.Description, o.OwnerTeamId, o.OwnerUserId, o.ParentObjectiveId, o.Status,
               o.Score, o.ScoreNote, o.CarriedFromObjectiveId, o.Version, o.CreatedAt, o.UpdatedAt,
               c.StartDate AS CycleStartDate, c.EndDate AS CycleEndDate, c.Status AS CycleStatus
        FROM Objective AS o
        INNER JOIN Cycle AS c ON c.Id = o.CycleId
        """;

    internal const string ObjectivesSql = $"""
        {ObjectivesFrom}
        WHERE o.Id IN @Ids
        """;

    internal const string CycleObjectivesSql = $"""
        {ObjectivesFrom}
        WHERE o.CycleId = @CycleId
        ORDER BY o.Id
        """;

    // The latest measurement is the one of the KPI's newest period (an index seek on (KpiId, PeriodStart)).
    private const string KeyResultsFrom = """
        SELECT kr.Id, kr.ObjectiveId, kr.Title, kr.Type, kr.Unit, kr.StartValue, kr.TargetValue, kr.Direction, kr.Comparator,
               kr.ChangePercent, kr.ChangeBy, kr.BaselineSource, kr.StartDate, kr.DueDate, kr.TimeframeReason, kr.CurrentValue, kr.Weight, kr.OwnerTeamId, kr.OwnerUserId, kr.KpiId, k.KpiKey, kr.LastCheckInAt, kr.FinalValue,
               kr.Version, kr.CreatedAt, kr.UpdatedAt,
               m.Value AS KpiValue, m.RecordedAt AS KpiRecordedAt
        FROM KeyResult AS kr
        LEFT JOIN Kpi AS k ON k.Id = kr.KpiId
        LEFT JOIN KpiMeasurement AS m ON m.KpiId = kr.KpiId
            AND m.PeriodStart = (SELECT MAX(x.PeriodStart) FROM KpiMeasurement AS x WHERE x.KpiId = kr.KpiId)
        """;

    // Key results in the order they were added to their objective (Ordinal); CreatedAt, then Id, only tell apart two
    // that concurrent inserts on SQL Server numbered alike.
    internal const string KeyResultsSql = $"""
        {KeyResultsFrom}
        WHERE kr.ObjectiveId IN @Ids
        ORDER BY kr.ObjectiveId, kr.Ordinal, kr.CreatedAt, kr.Id
        """;

    internal const string CycleKeyResultsSql = $"""
        {KeyResultsFrom}
        WHERE kr.ObjectiveId IN (SELECT Id FROM Objective WHERE CycleId = @CycleId)
        ORDER BY kr.ObjectiveId, kr.Ordinal, kr.CreatedAt, kr.Id
        """;

    private const string LinkedKpisFrom = """
        SELECT ok.ObjectiveId, k.Id, k.KpiKey, k.Name
        FROM ObjectiveKpi AS ok
        INNER JOIN Kpi AS k ON k.Id = ok.KpiId
        """;

    internal const string LinkedKpisSql = $"""
        {LinkedKpisFrom}
        WHERE ok.ObjectiveId IN @Ids
        ORDER BY k.KeyNormalized
        """;

    internal const string CycleLinkedKpisSql = $"""
        {LinkedKpisFrom}
        WHERE ok.ObjectiveId IN (SELECT Id FROM Objective WHERE CycleId = @CycleId)
        ORDER BY k.KeyNormalized
        """;

    internal const string ObjectiveOfKeyResultSql = "SELECT ObjectiveId FROM KeyResult WHERE Id = @Id";

    /// <summary>The objectives, in the order of <paramref name="ids"/>; ids that do not exist are skipped.</summary>
    public async Task<IReadOnlyList<ObjectiveResponse>> ObjectivesAsync(DbConnection connection, IReadOnlyList<Guid> ids, CancellationToken ct, DbTransaction? transaction = null)
    {
        if (ids.Count == 0) return [];
        // Text ids: Dapper expands IN lists without type handlers.
        var texts = new { Ids = ids.Select(id => id.ToString("D")).Distinct().ToList() };
        var objectives = (await connection.QueryAsync<ObjectiveRow>(new CommandDefinition(ObjectivesSql, texts, transaction, cancellationToken: ct))).ToDictionary(o => o.Id);
        var composed = await ComposeAsync(connection, objectives.Values, KeyResultsSql, LinkedKpisSql, texts, transaction, ct);
        return ids.Distinct().Where(composed.ContainsKey).Select(id => composed[id]).ToList();
    }

    /// <summary>
    /// Every objective of a cycle, oldest first, in three queries that name the cycle rather than list ids (a cycle of
    /// thousands of objectives would exceed SQL Server's 2,100 parameters). Callers bound the count first.
    /// </summary>
    public async Task<IReadOnlyList<ObjectiveResponse>> CycleObjectivesAsync(DbConnection connection, Guid cycleId, CancellationToken ct, DbTransaction? transaction = null)
    {
        var parameters = new { CycleId = cycleId };
        var objectives = (await connection.QueryAsync<ObjectiveRow>(new CommandDefinition(CycleObjectivesSql, parameters, transaction, cancellationToken: ct))).ToList();
        var composed = await ComposeAsync(connection, objectives, CycleKeyResultsSql, CycleLinkedKpisSql, parameters, transaction, ct);
        return objectives.Select(o => composed[o.Id]).ToList();
    }

    private async Task<Dictionary<Guid, ObjectiveResponse>> ComposeAsync(DbConnection connection, IEnumerable<ObjectiveRow> objectives,
        string keyResultsSql, string linkedKpisSql, object parameters, DbTransaction? transaction, CancellationToken ct)
    {
        var keyResults = (await connection.QueryAsync<KeyResultRow>(new CommandDefinition(keyResultsSql, parameters, transaction, cancellationToken: ct))).ToLookup(k => k.ObjectiveId);
        var kpis = (await connection.QueryAsync<LinkedKpiRow>(new CommandDefinition(linkedKpisSql, parameters, transaction, cancellationToken: ct))).ToLookup(k => k.ObjectiveId);

        var now = clock.GetUtcNow();
        return objectives.ToDictionary(o => o.Id,
            o => Compose(o, keyResults[o.Id], kpis[o.Id].Select(k => new LinkedKpi(k.Id, k.KpiKey, k.Name)).ToList(), now));
    }

    public async Task<ObjectiveResponse?> ObjectiveAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        (await ObjectivesAsync(connection, [id], ct, transaction)).SingleOrDefault();

    public async Task<ObjectiveResponse> GetObjectiveAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        await ObjectiveAsync(connection, id, ct, transaction) ?? throw new NotFoundException($"Objective '{id}' was not found.");

    public async Task<KeyResultResponse?> KeyResultAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null)
    {
        var objectiveId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(ObjectiveOfKeyResultSql, new { Id = id }, transaction, cancellationToken: ct));
        if (objectiveId is null) return null;
        return (await ObjectiveAsync(connection, objectiveId.Value, ct, transaction))?.KeyResults.SingleOrDefault(k => k.Id == id);
    }

    public async Task<KeyResultResponse> GetKeyResultAsync(DbConnection connection, Guid id, CancellationToken ct, DbTransaction? transaction = null) =>
        await KeyResultAsync(connection, id, ct, transaction) ?? throw new NotFoundException($"Key result '{id}' was not found.");

    private ObjectiveResponse Compose(ObjectiveRow o, IEnumerable<KeyResultRow> rows, IReadOnlyList<LinkedKpi> kpis, DateTimeOffset now)
    {
        var zone = organisation.TimeZone;
        var (cycleStart, _) = OkrProgress.Span(o.CycleStartDate, o.CycleEndDate, zone);
        var started = now >= cycleStart;
        var keyResults = rows.Select(row => KeyResult(row, o, now)).ToList();

        var progress = OkrProgress.Objective(keyResults.Select(k => (k.Weight, k.Progress)));
        // Key results with their own timeframes expect what their timeframes say; the objective expects their weighted mean.
        var expected = OkrProgress.Objective(keyResults.Select(k => (k.Weight, k.ExpectedProgress)))
            ?? OkrProgress.Expected(o.CycleStartDate, o.CycleEndDate, now, zone);
        var stale = keyResults.Any(k => k.Stale);
        OkrHealth? health = progress is { } p ? OkrProgress.Health(p, expected, started, stale, options)
            : started ? null : OkrHealth.NotStarted;
        return new ObjectiveResponse(o.Id, o.CycleId, o.Title, o.Description, o.OwnerTeamId, o.OwnerUserId, o.ParentObjectiveId, o.Status, kpis,
            progress is { } value ? OkrProgress.Round(value) : null, OkrProgress.Round(expected), health, stale,
            o.Score, o.ScoreNote, o.CarriedFromObjectiveId, keyResults, o.Version, o.CreatedAt, o.UpdatedAt);
    }

    private KeyResultResponse KeyResult(KeyResultRow k, ObjectiveRow o, DateTimeOffset now)
    {
        var source = k.KpiId is null ? CurrentValueSource.CheckIn : CurrentValueSource.Kpi;
        var current = o.CycleStatus == CycleStatus.Closed && k.FinalValue is { } final ? final
            : source == CurrentValueSource.Kpi ? k.KpiValue : k.CurrentValue;
        var currentAt = source == CurrentValueSource.Kpi ? k.KpiRecordedAt : k.LastCheckInAt;
        var comparator = OkrProgress.ComparatorOf(k.Direction, k.Comparator);
        // Expected progress, health and staleness run over the key result's own timeframe, the cycle's days by default.
        var (firstDay, lastDay) = (k.StartDate ?? o.CycleStartDate, k.DueDate ?? o.CycleEndDate);
        var (start, end) = OkrProgress.Span(firstDay, lastDay, organisation.TimeZone);
        var expected = OkrProgress.Expected(firstDay, lastDay, now, organisation.TimeZone);
        // Unrounded progress feeds the objective's weighted mean; the response reports it rounded.
        // One waiting for its baseline has no start to measure from: progress 0, as a KPI-fed one before its KPI's first value.
        var awaitsBaseline = KeyResultRules.AwaitsBaseline(k.BaselineSource, k.StartValue, k.TargetValue);
        var progress = awaitsBaseline ? 0m : OkrProgress.KeyResult(k.Type, k.StartValue, k.TargetValue, comparator, current);
        // Without a due date of its own a key result of an active cycle stays watched until the cycle is closed.
        var stale = OkrProgress.IsStale(o.CycleStatus, start, k.DueDate is null ? DateTimeOffset.MaxValue : end, currentAt, k.CreatedAt, now, options);
        var change = k.ChangePercent is not null || k.ChangeBy is not null
            ? new KeyResultChangeDeclaration(k.ChangePercent, k.ChangeBy, awaitsBaseline ? null : k.StartValue, k.BaselineSource ?? BaselineSource.Given)
            : null;
        return new KeyResultResponse(k.Id, k.ObjectiveId, k.Title, k.Type, k.Unit, awaitsBaseline ? null : k.StartValue, awaitsBaseline ? null : k.TargetValue,
            k.Direction, comparator, change,
            k.StartDate, k.DueDate, k.TimeframeReason, current, source,
            currentAt, k.Weight, k.OwnerTeamId, k.OwnerUserId, k.KpiId, k.KpiKey,
            OkrProgress.Round(progress), OkrProgress.Round(expected), OkrProgress.Health(progress, expected, now >= start, stale, options), stale,
            k.LastCheckInAt, k.FinalValue, k.Version, k.CreatedAt, k.UpdatedAt);
    }

    private sealed class ObjectiveRow
    {
        public Guid Id { get; init; }
        public Guid CycleId { get; init; }
        public string Title { get; init; } = "";
        public string? Description { get; init; }
        public Guid? OwnerTeamId { get; init; }
        public Guid? OwnerUserId { get; init; }
        public Guid? ParentObjectiveId { get; init; }
        public ObjectiveStatus Status { get; init; }
        public decimal? Score { get; init; }
        public string? ScoreNote { get; init; }
        public Guid? CarriedFromObjectiveId { get; init; }
        public long Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public DateOnly CycleStartDate { get; init; }
        public DateOnly CycleEndDate { get; init; }
        public CycleStatus CycleStatus { get; init; }
    }

    private sealed class KeyResultRow
    {
        public Guid Id { get; init; }
        public Guid ObjectiveId { get; init; }
        public string Title { get; init; } = "";
        public KeyResultType Type { get; init; }
        public string? Unit { get; init; }
        public decimal StartValue { get; init; }
        public decimal TargetValue { get; init; }
        public KeyResultDirection Direction { get; init; }
        public TargetComparator? Comparator { get; init; }
        public decimal? ChangePercent { get; init; }
        public decimal? ChangeBy { get; init; }
        public BaselineSource? BaselineSource { get; init; }
        public DateOnly? StartDate { get; init; }
        public DateOnly? DueDate { get; init; }
        public string? TimeframeReason { get; init; }
        public decimal? CurrentValue { get; init; }
        public decimal Weight { get; init; }
        public Guid? OwnerTeamId { get; init; }
        public Guid? OwnerUserId { get; init; }
        public Guid? KpiId { get; init; }
        public string? KpiKey { get; init; }
        public DateTimeOffset? LastCheckInAt { get; init; }
        public decimal? FinalValue { get; init; }
        public long Version { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public decimal? KpiValue { get; init; }
        public DateTimeOffset? KpiRecordedAt { get; init; }
    }

    private sealed class LinkedKpiRow
    {
        public Guid ObjectiveId { get; init; }
        public Guid Id { get; init; }
        public string KpiKey { get; init; } = "";
        public string Name { get; init; } = "";
    }
}
