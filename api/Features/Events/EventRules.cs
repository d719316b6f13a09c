using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;

namespace OkrKpi.Api.Features.Events;

/// <summary>One occurrence as it arrived, before its KPI and moment are known to be valid. Kpi is a key or an id.</summary>
/// <param name="Position">The item's index in a batch.</param>
internal sealed record EventItem(long Position, string? Kpi, string? OccurredAt, RawValue Value, string? EventId);

/// <summary>An event after the rules.</summary>
internal abstract record CheckedEvent(long Position);

/// <summary>An event the rules accepted: its KPI, the moment (never in the future), the period it lands in and its value, if any.</summary>
internal sealed record AcceptedEvent(long Position, KpiRow Kpi, DateTimeOffset OccurredAt, DateTimeOffset PeriodStart, StoredValue? Value, string? EventId)
    : CheckedEvent(Position);

/// <summary>Why an event was refused: the field to blame and the reason (Kind as for measurements: 404, 403, 409 or 400 for a single event).</summary>
internal sealed record RefusedEvent(long Position, Refusal Kind, string Field, string Reason, string? Kpi, Guid? KpiId, string? EventId)
    : CheckedEvent(Position);

/// <summary>
/// The rules every event obeys: its KPI is known, writable by the caller, active and fed by events; occurredAt is a
/// moment (<see cref="KpiPeriods.TryParseInstant"/>: any offset, a date in the organisation's zone, a little clock skew
/// forgiven); a value is of the KPI's kind and required unless the KPI counts its events; eventId fits.
/// </summary>
internal sealed class EventRules(TimeZoneInfo zone, DateTimeOffset now)
{
    public static string NotFedByEvents(KpiRow kpi) =>
        $"KPI '{kpi.KpiKey}' is fed by {kpi.FedBy.ToString().ToLowerInvariant()}, not events: "
        + (kpi.FedBy == KpiFedBy.Formula ? "its values follow its formula." : "push its values to /api/v1/kpis/{idOrKey}/measurements, or change its fedBy to events.");

    public CheckedEvent Check(EventItem item, KpiRow? kpi, string? forbidden)
    {
        if (string.IsNullOrWhiteSpace(item.Kpi))
            return Refuse(item, Refusal.Invalid, "kpi", MeasurementRules.KpiRequired);
        if (kpi is null)
            return Refuse(item, Refusal.UnknownKpi, "kpi", MeasurementRules.UnknownKpi(item.Kpi));
        if (forbidden is not null)
            return Refuse(item, Refusal.Forbidden, "kpi", forbidden, kpi);
        if (kpi.Status == KpiStatus.Retired)
            return Refuse(item, Refusal.Retired, "kpi", MeasurementRules.Retired(kpi), kpi);
        if (kpi.FedBy != KpiFedBy.Events)
            return Refuse(item, Refusal.NotFedByEvents, "kpi", NotFedByEvents(kpi), kpi);

        var occurredAt = now;
        if (!string.IsNullOrWhiteSpace(item.OccurredAt))
        {
            if (item.OccurredAt.Length > EventLimits.OccurredAtMaxLength)
                return Refuse(item, Refusal.Invalid, "occurredAt", $"occurredAt must be at most {EventLimits.OccurredAtMaxLength} characters.", kpi);
            if (!KpiPeriods.TryParseInstant(item.OccurredAt.Trim(), zone, now, out occurredAt, out var error))
                return Refuse(item, Refusal.Invalid, "occurredAt", error!, kpi);
        }

        StoredValue? value = null;
        if (item.Value.Kind != RawValueKind.Missing || kpi.Aggregation != KpiAggregation.Count)
        {
            var (read, valueError) = MeasurementRules.ReadValue(item.Value, kpi.ValueType);
            if (valueError is not null)
                return Refuse(item, Refusal.Invalid, "value",
                    item.Value.Kind == RawValueKind.Missing
                        ? $"value is required: KPI '{kpi.KpiKey}' takes the {kpi.Aggregation.ToString().ToLowerInvariant()} of its events' values (only a KPI that counts its events takes events without one)."
                        : valueError, kpi);
            value = read;
        }

        var eventId = string.IsNullOrWhiteSpace(item.EventId) ? null : item.EventId.Trim();
        if (eventId is not null && eventId.Length > EventLimits.EventIdMaxLength)
            return Refuse(item, Refusal.Invalid, "eventId", $"eventId must be at most {EventLimits.EventIdMaxLength} characters.", kpi);

        return new AcceptedEvent(item.Position, kpi, occurredAt, KpiPeriods.StartOf(kpi.Frequency, occurredAt, zone), value, eventId);
    }

    /// <summary>Whether an event recorded at <paramref name="recordedAt"/> arrived after its period had ended: it changed a past period's value.</summary>
    public static bool IsLate(KpiFrequency frequency, DateTimeOffset periodStart, DateTimeOffset recordedAt, TimeZoneInfo zone) =>
        KpiPeriods.Next(frequency, periodStart, zone) <= recordedAt;

    private static RefusedEvent Refuse(EventItem item, Refusal kind, string field, string reason, KpiRow? kpi = null) =>
        new(item.Position, kind, field, reason, kpi?.KpiKey ?? item.Kpi, kpi?.Id, item.EventId);
}
