-- Key results are listed in the order they were added to their objective, initiatives in the order they were added to
-- their key result. CreatedAt cannot say it: several are created within one instant (the demo seed, a carry-over that
-- stamps one time for every copy), and their version 7 ids then order by random bits. Ordinal is 1, 2, 3… within the
-- parent, set on insert; existing rows are numbered by what the lists used before (CreatedAt, then Id).
ALTER TABLE KeyResult ADD COLUMN Ordinal INTEGER NOT NULL DEFAULT 0;
UPDATE KeyResult SET Ordinal = numbered.n
FROM (SELECT Id, ROW_NUMBER() OVER (PARTITION BY ObjectiveId ORDER BY CreatedAt, Id) AS n FROM KeyResult) AS numbered
WHERE numbered.Id = KeyResult.Id;
DROP INDEX IX_KeyResult_ObjectiveId;
CREATE INDEX IX_KeyResult_ObjectiveId_Ordinal ON KeyResult (ObjectiveId, Ordinal);

ALTER TABLE Initiative ADD COLUMN Ordinal INTEGER NOT NULL DEFAULT 0;
UPDATE Initiative SET Ordinal = numbered.n
FROM (SELECT Id, ROW_NUMBER() OVER (PARTITION BY KeyResultId ORDER BY CreatedAt, Id) AS n FROM Initiative) AS numbered
WHERE numbered.Id = Initiative.Id;
DROP INDEX IX_Initiative_KeyResultId;
CREATE INDEX IX_Initiative_KeyResultId_Ordinal ON Initiative (KeyResultId, Ordinal);
