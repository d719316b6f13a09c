CREATE TABLE Kpi (
    Id               UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_Kpi PRIMARY KEY NONCLUSTERED,
    KpiKey           NVARCHAR(64)      NOT NULL,
    KeyNormalized    NVARCHAR(64)      NOT NULL,
    Name             NVARCHAR(200)     NOT NULL,
    Description      NVARCHAR(2000)    NULL,
    Formula          NVARCHAR(1000)    NULL,
    Unit             NVARCHAR(32)      NULL,
    ValueType        NVARCHAR(16)      NOT NULL,
    Frequency        NVARCHAR(16)      NOT NULL,
    TargetComparator NVARCHAR(16)      NOT NULL,
    TargetValue      DECIMAL(38, 12)   NULL,
    TargetLow        DECIMAL(38, 12)   NULL,
    TargetHigh       DECIMAL(38, 12)   NULL,
    TargetWarning    DECIMAL(38, 12)   NULL,
    OwnerTeamId      UNIQUEIDENTIFIER  NULL CONSTRAINT FK_Kpi_OwnerTeam REFERENCES Team (Id),
    Status           NVARCHAR(16)      NOT NULL,
    Version          BIGINT            NOT NULL,
    CreatedAt        DATETIMEOFFSET(7) NOT NULL,
    UpdatedAt        DATETIMEOFFSET(7) NOT NULL
);

CREATE UNIQUE INDEX UX_Kpi_KeyNormalized ON Kpi (KeyNormalized);
CREATE INDEX IX_Kpi_OwnerTeamId ON Kpi (OwnerTeamId);

CREATE TABLE KpiTag (
    KpiId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_KpiTag_Kpi REFERENCES Kpi (Id) ON DELETE CASCADE,
    Tag   NVARCHAR(40)     NOT NULL,
    CONSTRAINT PK_KpiTag PRIMARY KEY (KpiId, Tag)
);

CREATE INDEX IX_KpiTag_Tag ON KpiTag (Tag, KpiId);
