-- Every value that stopped being current: replaced by a newer value or deleted. With the current row
-- in KpiMeasurement this is the full revision history of a period; nothing is ever lost.
CREATE TABLE KpiMeasurementHistory (
    Id           UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_KpiMeasurementHistory PRIMARY KEY NONCLUSTERED,
    KpiId        UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_KpiMeasurementHistory_Kpi REFERENCES Kpi (Id),
    PeriodStart  DATETIMEOFFSET(7) NOT NULL,
    Value        DECIMAL(38, 12)   NOT NULL,
    Source       NVARCHAR(32)      NOT NULL,
    Note         NVARCHAR(1000)    NULL,
    ExternalId   NVARCHAR(200)     NULL,
    RecordedAt   DATETIMEOFFSET(7) NOT NULL,
    RecordedBy   NVARCHAR(200)     NULL,
    SupersededAt DATETIMEOFFSET(7) NOT NULL,
    SupersededBy NVARCHAR(200)     NULL,
    Reason       NVARCHAR(16)      NOT NULL
);

CREATE CLUSTERED INDEX IX_KpiMeasurementHistory_KpiId_PeriodStart ON KpiMeasurementHistory (KpiId, PeriodStart, SupersededAt);
