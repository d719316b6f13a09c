-- OKRs: cycles (time boxes), objectives owned by a team or a person and aligned to a parent, their key results
-- (optionally fed by a KPI), check-ins and initiatives. Decimal columns are TEXT (exact), as for KPIs.
CREATE TABLE Cycle (
    Id             TEXT    NOT NULL PRIMARY KEY,
    Name           TEXT    NOT NULL,
    NameNormalized TEXT    NOT NULL,
    StartDate      TEXT    NOT NULL,
    EndDate        TEXT    NOT NULL,
    Status         TEXT    NOT NULL,
    Version        INTEGER NOT NULL,
    CreatedAt      TEXT    NOT NULL,
    UpdatedAt      TEXT    NOT NULL
);

CREATE UNIQUE INDEX UX_Cycle_NameNormalized ON Cycle (NameNormalized);
CREATE INDEX IX_Cycle_StartDate ON Cycle (StartDate, Id);

-- Exactly one owner: a team or a person. CarriedFromObjectiveId has no foreign key: the original may be deleted.
CREATE TABLE Objective (
    Id                     TEXT    NOT NULL PRIMARY KEY,
    CycleId                TEXT    NOT NULL REFERENCES Cycle (Id),
    Title                  TEXT    NOT NULL,
    Description            TEXT    NULL,
    OwnerTeamId            TEXT    NULL REFERENCES Team (Id),
    OwnerUserId            TEXT    NULL REFERENCES AppUser (Id),
    ParentObjectiveId      TEXT    NULL REFERENCES Objective (Id),
    Status                 TEXT    NOT NULL,
    Score                  TEXT    NULL,
    ScoreNote              TEXT    NULL,
    CarriedFromObjectiveId TEXT    NULL,
    Version                INTEGER NOT NULL,
    CreatedAt              TEXT    NOT NULL,
    UpdatedAt              TEXT    NOT NULL,
    CHECK ((OwnerTeamId IS NULL) <> (OwnerUserId IS NULL))
);

CREATE INDEX IX_Objective_CycleId ON Objective (CycleId, Id);
CREATE INDEX IX_Objective_OwnerTeamId ON Objective (OwnerTeamId);
CREATE INDEX IX_Objective_OwnerUserId ON Objective (OwnerUserId);
CREATE INDEX IX_Objective_ParentObjectiveId ON Objective (ParentObjectiveId);

-- Health metrics: KPIs watched while the objective is pursued.
CREATE TABLE ObjectiveKpi (
    ObjectiveId TEXT NOT NULL REFERENCES Objective (Id) ON DELETE CASCADE,
    KpiId       TEXT NOT NULL REFERENCES Kpi (Id) ON DELETE CASCADE,
    PRIMARY KEY (ObjectiveId, KpiId)
);

CREATE INDEX IX_ObjectiveKpi_KpiId ON ObjectiveKpi (KpiId);

-- CurrentValue is the value of the latest check-in; a KPI-linked key result reads its KPI's latest measurement
-- instead. FinalValue is the value frozen when the cycle closed.
CREATE TABLE KeyResult (
    Id            TEXT    NOT NULL PRIMARY KEY,
    ObjectiveId   TEXT    NOT NULL REFERENCES Objective (Id),
    Title         TEXT    NOT NULL,
    Type          TEXT    NOT NULL,
    Unit          TEXT    NULL,
    StartValue    TEXT    NOT NULL,
    TargetValue   TEXT    NOT NULL,
    Direction     TEXT    NOT NULL,
    CurrentValue  TEXT    NULL,
    Weight        TEXT    NOT NULL,
    OwnerTeamId   TEXT    NULL REFERENCES Team (Id),
    OwnerUserId   TEXT    NULL REFERENCES AppUser (Id),
    KpiId         TEXT    NULL REFERENCES Kpi (Id) ON DELETE SET NULL,
    LastCheckInAt TEXT    NULL,
    FinalValue    TEXT    NULL,
    Version       INTEGER NOT NULL,
    CreatedAt     TEXT    NOT NULL,
    UpdatedAt     TEXT    NOT NULL,
    CHECK ((OwnerTeamId IS NULL) <> (OwnerUserId IS NULL))
);

CREATE INDEX IX_KeyResult_ObjectiveId ON KeyResult (ObjectiveId);
CREATE INDEX IX_KeyResult_KpiId ON KeyResult (KpiId);
CREATE INDEX IX_KeyResult_OwnerTeamId ON KeyResult (OwnerTeamId);
CREATE INDEX IX_KeyResult_OwnerUserId ON KeyResult (OwnerUserId);

-- Sequence is the key result's version after the check-in: it orders the history even within one instant.
CREATE TABLE CheckIn (
    Id          TEXT    NOT NULL PRIMARY KEY,
    KeyResultId TEXT    NOT NULL REFERENCES KeyResult (Id) ON DELETE CASCADE,
    Sequence    INTEGER NOT NULL,
    Value       TEXT    NOT NULL,
    Confidence  INTEGER NULL,
    Note        TEXT    NULL,
    AuthorId    TEXT    NULL,
    Author      TEXT    NOT NULL,
    CreatedAt   TEXT    NOT NULL
);

CREATE UNIQUE INDEX UX_CheckIn_KeyResultId_Sequence ON CheckIn (KeyResultId, Sequence);

CREATE TABLE Initiative (
    Id          TEXT    NOT NULL PRIMARY KEY,
    KeyResultId TEXT    NOT NULL REFERENCES KeyResult (Id) ON DELETE CASCADE,
    Title       TEXT    NOT NULL,
    Status      TEXT    NOT NULL,
    ExternalUrl TEXT    NULL,
    Version     INTEGER NOT NULL,
    CreatedAt   TEXT    NOT NULL,
    UpdatedAt   TEXT    NOT NULL
);

CREATE INDEX IX_Initiative_KeyResultId ON Initiative (KeyResultId, Id);
