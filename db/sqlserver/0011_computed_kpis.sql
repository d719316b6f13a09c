-- How a KPI's values combine into a coarser period (existing KPIs keep their latest value: 'Last'), and what feeds
-- it: pushed or imported values, or a formula over other KPIs. KpiInput holds the KPIs each formula reads, so a write
-- finds the computed KPIs it must recompute, and a KPI that feeds others cannot be deleted or retired unnoticed.
ALTER TABLE Kpi ADD Aggregation NVARCHAR(16) NOT NULL CONSTRAINT DF_Kpi_Aggregation DEFAULT 'Last';
ALTER TABLE Kpi ADD FedBy NVARCHAR(16) NOT NULL CONSTRAINT DF_Kpi_FedBy DEFAULT 'Values';

CREATE TABLE KpiInput (
    KpiId      UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_KpiInput_Kpi REFERENCES Kpi (Id) ON DELETE CASCADE,
    InputKpiId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_KpiInput_InputKpi REFERENCES Kpi (Id),
    CONSTRAINT PK_KpiInput PRIMARY KEY (KpiId, InputKpiId)
);

CREATE INDEX IX_KpiInput_InputKpiId ON KpiInput (InputKpiId, KpiId);
