-- Key results are listed in the order they were added to their objective, initiatives in the order they were added to
-- their key result. CreatedAt cannot say it (several are created within one instant: the demo seed, a carry-over that
-- stamps one time for every copy), and uniqueidentifier does not sort by creation at all. Ordinal is 1, 2, 3… within
-- the parent, set on insert; existing rows are numbered by what the lists used before (CreatedAt, then Id).
-- GO: the updates compile after the columns exist.
ALTER TABLE KeyResult ADD Ordinal INT NOT NULL CONSTRAINT DF_KeyResult_Ordinal DEFAULT 0;
ALTER TABLE Initiative ADD Ordinal INT NOT NULL CONSTRAINT DF_Initiative_Ordinal DEFAULT 0;
GO

WITH numbered AS (SELECT Ordinal, ROW_NUMBER() OVER (PARTITION BY ObjectiveId ORDER BY CreatedAt, Id) AS n FROM KeyResult)
UPDATE numbered SET Ordinal = n;
DROP INDEX IX_KeyResult_ObjectiveId ON KeyResult;
CREATE INDEX IX_KeyResult_ObjectiveId_Ordinal ON KeyResult (ObjectiveId, Ordinal);

WITH numbered AS (SELECT Ordinal, ROW_NUMBER() OVER (PARTITION BY KeyResultId ORDER BY CreatedAt, Id) AS n FROM Initiative)
UPDATE numbered SET Ordinal = n;
DROP INDEX IX_Initiative_KeyResultId ON Initiative;
CREATE INDEX IX_Initiative_KeyResultId_Ordinal ON Initiative (KeyResultId, Ordinal);
