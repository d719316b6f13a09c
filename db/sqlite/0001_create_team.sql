-- Teams form the organisation chart; names are unique regardless of case.
CREATE TABLE Team (
    Id             TEXT    NOT NULL PRIMARY KEY,
    Name           TEXT    NOT NULL,
    NameNormalized TEXT    NOT NULL,
    ParentTeamId   TEXT    NULL REFERENCES Team (Id),
    Version        INTEGER NOT NULL,
    CreatedAt      TEXT    NOT NULL,
    UpdatedAt      TEXT    NOT NULL
);

CREATE UNIQUE INDEX UX_Team_NameNormalized ON Team (NameNormalized);
CREATE INDEX IX_Team_ParentTeamId ON Team (ParentTeamId);
