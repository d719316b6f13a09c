namespace OkrKpi.Api.Features.Notifications;

/// <summary>
/// The events the product emits, by their stable wire names. Each payload is versioned by the envelope's
/// <c>version</c> (docs/webhooks.md lists every field): a field is only ever added within a version.
/// </summary>
public static class EventTypes
{
    public const int PayloadVersion = 1;

    public const string KpiStatusChanged = "kpi.status.changed";
    public const string KpiLate = "kpi.late";
    public const string KpiValueRecorded = "kpi.value.recorded";
    public const string CheckInCreated = "keyresult.checkin.created";
    public const string KeyResultStale = "keyresult.stale";
    public const string ObjectiveHealthChanged = "objective.health.changed";
    public const string CycleActivated = "cycle.activated";
    public const string CycleClosed = "cycle.closed";
    public const string WebhookDisabled = "webhook.disabled";
    public const string WebhookTest = "webhook.test";

    /// <summary>What a subscription may ask for (the test event is sent on request only).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        KpiStatusChanged, KpiLate, KpiValueRecorded, CheckInCreated, KeyResultStale, ObjectiveHealthChanged, CycleActivated, CycleClosed, WebhookDisabled,
    ];
}
