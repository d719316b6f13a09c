using System.Text.Json;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Okrs;

namespace OkrKpi.Api.Features.Notifications;

/// <summary>The events of OKR changes: a check-in, an objective whose health it moved, a cycle activated or closed.</summary>
internal static class OkrEvents
{
    public static OutboxEntry CheckIn(KeyResultResponse keyResult, ObjectiveResponse objective, CheckInResponse checkIn) =>
        new(EventTypes.CheckInCreated, new
        {
            keyResult = new { id = keyResult.Id, title = keyResult.Title, objectiveId = objective.Id, ownerTeamId = keyResult.OwnerTeamId ?? objective.OwnerTeamId },
            objective = new { id = objective.Id, title = objective.Title },
            checkIn = new { id = checkIn.Id, value = checkIn.Value, confidence = checkIn.Confidence, note = checkIn.Note, author = checkIn.Author, createdAt = checkIn.CreatedAt },
            summary = $"{keyResult.Title}: checked in at {Number(checkIn.Value)}{Unit(keyResult.Unit)}"
                + (checkIn.Confidence is { } c ? $" (confidence {c}/10)" : "") + $" by {checkIn.Author}",
        }, keyResult.OwnerTeamId ?? objective.OwnerTeamId, ObjectiveId: objective.Id, KeyResultId: keyResult.Id);

    /// <summary>Null when the objective's health did not change.</summary>
    public static OutboxEntry? HealthChanged(ObjectiveResponse before, ObjectiveResponse after)
    {
        if (before.Health == after.Health || after.Health is null) return null;
        return new(EventTypes.ObjectiveHealthChanged, new
        {
            objective = new { id = after.Id, title = after.Title, cycleId = after.CycleId, ownerTeamId = after.OwnerTeamId },
            from = Wire(before.Health),
            to = Wire(after.Health),
            progress = after.Progress,
            expectedProgress = after.ExpectedProgress,
            summary = $"{after.Title} is {Words(after.Health)}: {Percent(after.Progress)} done against {Percent(after.ExpectedProgress)} expected",
        }, after.OwnerTeamId, ObjectiveId: after.Id, Status: Wire(after.Health));
    }

    public static OutboxEntry Cycle(string type, CycleResponse cycle) =>
        new(type, new
        {
            cycle = new { id = cycle.Id, name = cycle.Name, startDate = cycle.StartDate, endDate = cycle.EndDate, status = cycle.Status },
            summary = type == EventTypes.CycleActivated ? $"Cycle {cycle.Name} is active ({cycle.StartDate:yyyy-MM-dd} to {cycle.EndDate:yyyy-MM-dd})" : $"Cycle {cycle.Name} is closed",
        });

    private static string? Wire(OkrHealth? health) => health is { } h ? JsonNamingPolicy.CamelCase.ConvertName(h.ToString()) : null;

    private static string Words(OkrHealth? health) => health switch
    {
        OkrHealth.OnTrack => "on track",
        OkrHealth.AtRisk => "at risk",
        OkrHealth.OffTrack => "off track",
        _ => "not started",
    };

    private static string Percent(decimal? fraction) => fraction is { } f ? $"{MeasurementRules.Shortest(Math.Round(f * 100, 1)).Text} %" : "nothing";

    private static string Number(decimal value) => MeasurementRules.Shortest(value).Text;

    private static string Unit(string? unit) => string.IsNullOrWhiteSpace(unit) ? "" : $" {unit.Trim()}";
}
