-- The occurrences that feed a KPI declared "fedBy": "events": each event lands in the period of the KPI that contains
-- OccurredAt (stored in UTC, so the text orders by time), and the period's value in KpiMeasurement is derived from the
-- events of that period by the KPI's aggregation. EventId, when the sender gives one, makes a redelivery a no-op.
CREATE TABLE KpiEvent (
    Id          TEXT NOT NULL PRIMARY KEY,
    KpiId       TEXT NOT NULL REFERENCES Kpi (Id) ON DELETE CASCADE,
    PeriodStart TEXT NOT NULL,
    OccurredAt  TEXT NOT NULL,
    Value       TEXT NULL,
    EventId     TEXT NULL,
    RecordedAt  TEXT NOT NULL,
    RecordedBy  TEXT NULL
);

CREATE UNIQUE INDEX UX_KpiEvent_KpiId_EventId ON KpiEvent (KpiId, EventId) WHERE EventId IS NOT NULL;
CREATE INDEX IX_KpiEvent_KpiId_PeriodStart ON KpiEvent (KpiId, PeriodStart);
CREATE INDEX IX_KpiEvent_KpiId_OccurredAt ON KpiEvent (KpiId, OccurredAt);
