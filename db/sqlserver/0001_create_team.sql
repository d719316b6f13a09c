-- Teams form the organisation chart; names are unique regardless of case.
CREATE TABLE Team (
    Id             UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_Team PRIMARY KEY NONCLUSTERED,
    Name           NVARCHAR(100)     NOT NULL,
    NameNormalized NVARCHAR(100)     NOT NULL,
    ParentTeamId   UNIQUEIDENTIFIER  NULL CONSTRAINT FK_Team_ParentTeam REFERENCES Team (Id),
    Version        BIGINT            NOT NULL,
    CreatedAt      DATETIMEOFFSET(7) NOT NULL,
    UpdatedAt      DATETIMEOFFSET(7) NOT NULL
);

CREATE UNIQUE INDEX UX_Team_NameNormalized ON Team (NameNormalized);
CREATE INDEX IX_Team_ParentTeamId ON Team (ParentTeamId);
