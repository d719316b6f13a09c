-- Every value that stopped being current: replaced by a newer value or deleted. With the current row
-- in KpiMeasurement this is the full revision history of a period; nothing is ever lost.
CREATE TABLE KpiMeasurementHistory (
    Id           TEXT NOT NULL PRIMARY KEY,
    KpiId        TEXT NOT NULL REFERENCES Kpi (Id),
    PeriodStart  TEXT NOT NULL,
    Value        TEXT NOT NULL,
    Source       TEXT NOT NULL,
    Note         TEXT NULL,
    ExternalId   TEXT NULL,
    RecordedAt   TEXT NOT NULL,
    RecordedBy   TEXT NULL,
    SupersededAt TEXT NOT NULL,
    SupersededBy TEXT NULL,
    Reason       TEXT NOT NULL
);

CREATE INDEX IX_KpiMeasurementHistory_KpiId_PeriodStart ON KpiMeasurementHistory (KpiId, PeriodStart, SupersededAt);
