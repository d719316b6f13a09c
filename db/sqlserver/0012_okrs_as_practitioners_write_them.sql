-- OKRs as practitioners write them.
-- KeyResult: Comparator says whether reaching the target counts (atLeast, atMost) or only passing it (greaterThan,
-- lessThan); NULL on rows written before it means the inclusive one of the key result's direction. ChangePercent or
-- ChangeBy keep a relative declaration ("+15 %") with the source of its baseline (given or kpi); StartValue is that
-- baseline and TargetValue what the change makes of it. StartDate and DueDate narrow the key result's timeframe
-- inside its cycle (TimeframeReason explains one that reaches beyond it).
ALTER TABLE KeyResult ADD
    Comparator      NVARCHAR(16)    NULL,
    ChangePercent   DECIMAL(38, 12) NULL,
    ChangeBy        DECIMAL(38, 12) NULL,
    BaselineSource  NVARCHAR(16)    NULL,
    StartDate       DATE            NULL,
    DueDate         DATE            NULL,
    TimeframeReason NVARCHAR(1000)  NULL;

-- A check-in on a KPI-fed key result carries a confidence and a note; its Value is the KPI's latest value at the time
-- and ValueSource says so.
ALTER TABLE CheckIn ADD ValueSource NVARCHAR(16) NOT NULL CONSTRAINT DF_CheckIn_ValueSource DEFAULT 'CheckIn';

-- An initiative belongs to a key result or, directly, to an objective: exactly one. No cascade from Objective: SQL
-- Server refuses a second cascade path; deleting an objective deletes its initiatives first.
ALTER TABLE Initiative ALTER COLUMN KeyResultId UNIQUEIDENTIFIER NULL;
ALTER TABLE Initiative ADD ObjectiveId UNIQUEIDENTIFIER NULL CONSTRAINT FK_Initiative_Objective REFERENCES Objective (Id);
GO

ALTER TABLE Initiative ADD CONSTRAINT CK_Initiative_OneParent CHECK ((KeyResultId IS NULL AND ObjectiveId IS NOT NULL) OR (KeyResultId IS NOT NULL AND ObjectiveId IS NULL));
CREATE INDEX IX_Initiative_ObjectiveId_Ordinal ON Initiative (ObjectiveId, Ordinal);
