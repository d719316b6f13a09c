namespace OkrKpi.Api.Features.Okrs;

/// <summary>A KPI linked to an objective as a health metric.</summary>
public sealed record LinkedKpi(Guid Id, string Key, string Name);

/// <param name="Progress">Σ(weight × progress) / Σ weight of the key results; null without key results.</param>
/// <param name="ExpectedProgress">The elapsed fraction of the cycle.</param>
/// <param name="Health">From progress and expected progress; null without key results (notStarted before the cycle starts).</param>
/// <param name="Stale">Any key result is stale; health is then never onTrack.</param>
/// <param name="Score">The final score: set to the progress when the cycle closes, editable afterwards with a note.</param>
public sealed record ObjectiveResponse(
    Guid Id, Guid CycleId, string Title, string? Description, Guid? OwnerTeamId, Guid? OwnerUserId, Guid? ParentObjectiveId,
    ObjectiveStatus Status, IReadOnlyList<LinkedKpi> Kpis, decimal? Progress, decimal ExpectedProgress, OkrHealth? Health, bool Stale,
    decimal? Score, string? ScoreNote, Guid? CarriedFromObjectiveId, IReadOnlyList<KeyResultResponse> KeyResults,
    long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
