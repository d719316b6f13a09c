-- OKRs: cycles (time boxes), objectives owned by a team or a person and aligned to a parent, their key results
-- (optionally fed by a KPI), check-ins and initiatives.
CREATE TABLE Cycle (
    Id             UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_Cycle PRIMARY KEY NONCLUSTERED,
    Name           NVARCHAR(100)     NOT NULL,
    NameNormalized NVARCHAR(100)     NOT NULL,
    StartDate      DATE              NOT NULL,
    EndDate        DATE              NOT NULL,
    Status         NVARCHAR(16)      NOT NULL,
    Version        BIGINT            NOT NULL,
    CreatedAt      DATETIMEOFFSET(7) NOT NULL,
    UpdatedAt      DATETIMEOFFSET(7) NOT NULL
);

CREATE UNIQUE INDEX UX_Cycle_NameNormalized ON Cycle (NameNormalized);
CREATE INDEX IX_Cycle_StartDate ON Cycle (StartDate, Id);

-- Exactly one owner: a team or a person. CarriedFromObjectiveId has no foreign key: the original may be deleted.
CREATE TABLE Objective (
    Id                     UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_Objective PRIMARY KEY NONCLUSTERED,
    CycleId                UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_Objective_Cycle REFERENCES Cycle (Id),
    Title                  NVARCHAR(200)     NOT NULL,
    Description            NVARCHAR(2000)    NULL,
    OwnerTeamId            UNIQUEIDENTIFIER  NULL CONSTRAINT FK_Objective_OwnerTeam REFERENCES Team (Id),
    OwnerUserId            UNIQUEIDENTIFIER  NULL CONSTRAINT FK_Objective_OwnerUser REFERENCES AppUser (Id),
    ParentObjectiveId      UNIQUEIDENTIFIER  NULL CONSTRAINT FK_Objective_Parent REFERENCES Objective (Id),
    Status                 NVARCHAR(16)      NOT NULL,
    Score                  DECIMAL(38, 12)   NULL,
    ScoreNote              NVARCHAR(1000)    NULL,
    CarriedFromObjectiveId UNIQUEIDENTIFIER  NULL,
    Version                BIGINT            NOT NULL,
    CreatedAt              DATETIMEOFFSET(7) NOT NULL,
    UpdatedAt              DATETIMEOFFSET(7) NOT NULL,
    CONSTRAINT CK_Objective_OneOwner CHECK ((OwnerTeamId IS NULL AND OwnerUserId IS NOT NULL) OR (OwnerTeamId IS NOT NULL AND OwnerUserId IS NULL))
);

CREATE INDEX IX_Objective_CycleId ON Objective (CycleId, Id);
CREATE INDEX IX_Objective_OwnerTeamId ON Objective (OwnerTeamId);
CREATE INDEX IX_Objective_OwnerUserId ON Objective (OwnerUserId);
CREATE INDEX IX_Objective_ParentObjectiveId ON Objective (ParentObjectiveId);

-- Health metrics: KPIs watched while the objective is pursued.
CREATE TABLE ObjectiveKpi (
    ObjectiveId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ObjectiveKpi_Objective REFERENCES Objective (Id) ON DELETE CASCADE,
    KpiId       UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ObjectiveKpi_Kpi REFERENCES Kpi (Id) ON DELETE CASCADE,
    CONSTRAINT PK_ObjectiveKpi PRIMARY KEY (ObjectiveId, KpiId)
);

CREATE INDEX IX_ObjectiveKpi_KpiId ON ObjectiveKpi (KpiId);

-- CurrentValue is the value of the latest check-in; a KPI-linked key result reads its KPI's latest measurement
-- instead. FinalValue is the value frozen when the cycle closed.
CREATE TABLE KeyResult (
    Id            UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_KeyResult PRIMARY KEY NONCLUSTERED,
    ObjectiveId   UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_KeyResult_Objective REFERENCES Objective (Id),
    Title         NVARCHAR(200)     NOT NULL,
    Type          NVARCHAR(16)      NOT NULL,
    Unit          NVARCHAR(32)      NULL,
    StartValue    DECIMAL(38, 12)   NOT NULL,
    TargetValue   DECIMAL(38, 12)   NOT NULL,
    Direction     NVARCHAR(16)      NOT NULL,
    CurrentValue  DECIMAL(38, 12)   NULL,
    Weight        DECIMAL(38, 12)   NOT NULL,
    OwnerTeamId   UNIQUEIDENTIFIER  NULL CONSTRAINT FK_KeyResult_OwnerTeam REFERENCES Team (Id),
    OwnerUserId   UNIQUEIDENTIFIER  NULL CONSTRAINT FK_KeyResult_OwnerUser REFERENCES AppUser (Id),
    KpiId         UNIQUEIDENTIFIER  NULL CONSTRAINT FK_KeyResult_Kpi REFERENCES Kpi (Id) ON DELETE SET NULL,
    LastCheckInAt DATETIMEOFFSET(7) NULL,
    FinalValue    DECIMAL(38, 12)   NULL,
    Version       BIGINT            NOT NULL,
    CreatedAt     DATETIMEOFFSET(7) NOT NULL,
    UpdatedAt     DATETIMEOFFSET(7) NOT NULL,
    CONSTRAINT CK_KeyResult_OneOwner CHECK ((OwnerTeamId IS NULL AND OwnerUserId IS NOT NULL) OR (OwnerTeamId IS NOT NULL AND OwnerUserId IS NULL))
);

CREATE INDEX IX_KeyResult_ObjectiveId ON KeyResult (ObjectiveId);
CREATE INDEX IX_KeyResult_KpiId ON KeyResult (KpiId);
CREATE INDEX IX_KeyResult_OwnerTeamId ON KeyResult (OwnerTeamId);
CREATE INDEX IX_KeyResult_OwnerUserId ON KeyResult (OwnerUserId);

-- Sequence is the key result's version after the check-in: it orders the history even within one instant.
CREATE TABLE CheckIn (
    Id          UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_CheckIn PRIMARY KEY NONCLUSTERED,
    KeyResultId UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_CheckIn_KeyResult REFERENCES KeyResult (Id) ON DELETE CASCADE,
    Sequence    BIGINT            NOT NULL,
    Value       DECIMAL(38, 12)   NOT NULL,
    Confidence  INT               NULL,
    Note        NVARCHAR(1000)    NULL,
    AuthorId    UNIQUEIDENTIFIER  NULL,
    Author      NVARCHAR(254)     NOT NULL,
    CreatedAt   DATETIMEOFFSET(7) NOT NULL
);

CREATE UNIQUE CLUSTERED INDEX UX_CheckIn_KeyResultId_Sequence ON CheckIn (KeyResultId, Sequence);

CREATE TABLE Initiative (
    Id          UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_Initiative PRIMARY KEY NONCLUSTERED,
    KeyResultId UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_Initiative_KeyResult REFERENCES KeyResult (Id) ON DELETE CASCADE,
    Title       NVARCHAR(200)     NOT NULL,
    Status      NVARCHAR(16)      NOT NULL,
    ExternalUrl NVARCHAR(2000)    NULL,
    Version     BIGINT            NOT NULL,
    CreatedAt   DATETIMEOFFSET(7) NOT NULL,
    UpdatedAt   DATETIMEOFFSET(7) NOT NULL
);

CREATE INDEX IX_Initiative_KeyResultId ON Initiative (KeyResultId, Id);
