-- How a KPI's values combine into a coarser period (existing KPIs keep their latest value: 'Last'), and what feeds
-- it: pushed or imported values, or a formula over other KPIs. KpiInput holds the KPIs each formula reads, so a write
-- finds the computed KPIs it must recompute, and a KPI that feeds others cannot be deleted or retired unnoticed.
ALTER TABLE Kpi ADD COLUMN Aggregation TEXT NOT NULL DEFAULT 'Last';
ALTER TABLE Kpi ADD COLUMN FedBy TEXT NOT NULL DEFAULT 'Values';

CREATE TABLE KpiInput (
    KpiId      TEXT NOT NULL REFERENCES Kpi (Id) ON DELETE CASCADE,
    InputKpiId TEXT NOT NULL REFERENCES Kpi (Id),
    PRIMARY KEY (KpiId, InputKpiId)
);

CREATE INDEX IX_KpiInput_InputKpiId ON KpiInput (InputKpiId, KpiId);
