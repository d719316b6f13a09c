-- OKRs as practitioners write them.
-- KeyResult: Comparator says whether reaching the target counts (atLeast, atMost) or only passing it (greaterThan,
-- lessThan); NULL on rows written before it means the inclusive one of the key result's direction. ChangePercent or
-- ChangeBy keep a relative declaration ("+15 %") with the source of its baseline (given or kpi); StartValue is that
-- baseline and TargetValue what the change makes of it. StartDate and DueDate narrow the key result's timeframe
-- inside its cycle (TimeframeReason explains one that reaches beyond it).
ALTER TABLE KeyResult ADD COLUMN Comparator TEXT NULL;
ALTER TABLE KeyResult ADD COLUMN ChangePercent TEXT NULL;
ALTER TABLE KeyResult ADD COLUMN ChangeBy TEXT NULL;
ALTER TABLE KeyResult ADD COLUMN BaselineSource TEXT NULL;
ALTER TABLE KeyResult ADD COLUMN StartDate TEXT NULL;
ALTER TABLE KeyResult ADD COLUMN DueDate TEXT NULL;
ALTER TABLE KeyResult ADD COLUMN TimeframeReason TEXT NULL;

-- A check-in on a KPI-fed key result carries a confidence and a note; its Value is the KPI's latest value at the time
-- and ValueSource says so.
ALTER TABLE CheckIn ADD COLUMN ValueSource TEXT NOT NULL DEFAULT 'CheckIn';

-- An initiative belongs to a key result or, directly, to an objective: exactly one. SQLite cannot relax NOT NULL in
-- place: the table is rebuilt (nothing references it). Deleting an objective deletes its initiatives first, as on SQL Server.
CREATE TABLE Initiative_new (
    Id          TEXT    NOT NULL PRIMARY KEY,
    KeyResultId TEXT    NULL REFERENCES KeyResult (Id) ON DELETE CASCADE,
    ObjectiveId TEXT    NULL REFERENCES Objective (Id),
    Ordinal     INTEGER NOT NULL DEFAULT 0,
    Title       TEXT    NOT NULL,
    Status      TEXT    NOT NULL,
    ExternalUrl TEXT    NULL,
    Version     INTEGER NOT NULL,
    CreatedAt   TEXT    NOT NULL,
    UpdatedAt   TEXT    NOT NULL,
    CHECK ((KeyResultId IS NULL) <> (ObjectiveId IS NULL))
);
INSERT INTO Initiative_new (Id, KeyResultId, ObjectiveId, Ordinal, Title, Status, ExternalUrl, Version, CreatedAt, UpdatedAt)
SELECT Id, KeyResultId, NULL, Ordinal, Title, Status, ExternalUrl, Version, CreatedAt, UpdatedAt FROM Initiative;
DROP TABLE Initiative;
ALTER TABLE Initiative_new RENAME TO Initiative;
CREATE INDEX IX_Initiative_KeyResultId_Ordinal ON Initiative (KeyResultId, Ordinal);
CREATE INDEX IX_Initiative_ObjectiveId_Ordinal ON Initiative (ObjectiveId, Ordinal);
