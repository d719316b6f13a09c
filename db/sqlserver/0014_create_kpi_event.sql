-- The occurrences that feed a KPI declared "fedBy": "events": each event lands in the period of the KPI that contains
-- OccurredAt, and the period's value in KpiMeasurement is derived from the events of that period by the KPI's
-- aggregation. EventId, when the sender gives one, makes a redelivery a no-op. Values are exact decimal text, as in
-- KpiMeasurement.
CREATE TABLE KpiEvent (
    Id          UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_KpiEvent PRIMARY KEY NONCLUSTERED,
    KpiId       UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_KpiEvent_Kpi REFERENCES Kpi (Id) ON DELETE CASCADE,
    PeriodStart DATETIMEOFFSET(7) NOT NULL,
    OccurredAt  DATETIMEOFFSET(7) NOT NULL,
    Value       VARCHAR(64)       NULL,
    EventId     NVARCHAR(200)     NULL,
    RecordedAt  DATETIMEOFFSET(7) NOT NULL,
    RecordedBy  NVARCHAR(200)     NULL
);

CREATE CLUSTERED INDEX IX_KpiEvent_KpiId_PeriodStart ON KpiEvent (KpiId, PeriodStart);
CREATE UNIQUE INDEX UX_KpiEvent_KpiId_EventId ON KpiEvent (KpiId, EventId) WHERE EventId IS NOT NULL;
CREATE INDEX IX_KpiEvent_KpiId_OccurredAt ON KpiEvent (KpiId, OccurredAt);
