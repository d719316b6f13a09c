-- One value per KPI and period; PeriodStart is the normalised start of the KPI's period.
CREATE TABLE KpiMeasurement (
    Id          UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_KpiMeasurement PRIMARY KEY NONCLUSTERED,
    KpiId       UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_KpiMeasurement_Kpi REFERENCES Kpi (Id),
    PeriodStart DATETIMEOFFSET(7) NOT NULL,
    Value       DECIMAL(38, 12)   NOT NULL,
    Source      NVARCHAR(32)      NOT NULL,
    Note        NVARCHAR(1000)    NULL,
    ExternalId  NVARCHAR(200)     NULL,
    RecordedAt  DATETIMEOFFSET(7) NOT NULL,
    RecordedBy  NVARCHAR(200)     NULL
);

CREATE UNIQUE CLUSTERED INDEX UX_KpiMeasurement_KpiId_PeriodStart ON KpiMeasurement (KpiId, PeriodStart);
