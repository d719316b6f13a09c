-- One value per KPI and period; PeriodStart is the normalised start of the KPI's period.
CREATE TABLE KpiMeasurement (
    Id          TEXT NOT NULL PRIMARY KEY,
    KpiId       TEXT NOT NULL REFERENCES Kpi (Id),
    PeriodStart TEXT NOT NULL,
    Value       TEXT NOT NULL,
    Source      TEXT NOT NULL,
    Note        TEXT NULL,
    ExternalId  TEXT NULL,
    RecordedAt  TEXT NOT NULL,
    RecordedBy  TEXT NULL
);

CREATE UNIQUE INDEX UX_KpiMeasurement_KpiId_PeriodStart ON KpiMeasurement (KpiId, PeriodStart);
