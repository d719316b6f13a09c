-- Decimal columns are TEXT: SQLite's REAL would round them, and Microsoft.Data.Sqlite writes decimal as text.
CREATE TABLE Kpi (
    Id               TEXT    NOT NULL PRIMARY KEY,
    KpiKey           TEXT    NOT NULL,
    KeyNormalized    TEXT    NOT NULL,
    Name             TEXT    NOT NULL,
    Description      TEXT    NULL,
    Formula          TEXT    NULL,
    Unit             TEXT    NULL,
    ValueType        TEXT    NOT NULL,
    Frequency        TEXT    NOT NULL,
    TargetComparator TEXT    NOT NULL,
    TargetValue      TEXT    NULL,
    TargetLow        TEXT    NULL,
    TargetHigh       TEXT    NULL,
    TargetWarning    TEXT    NULL,
    OwnerTeamId      TEXT    NULL REFERENCES Team (Id),
    Status           TEXT    NOT NULL,
    Version          INTEGER NOT NULL,
    CreatedAt        TEXT    NOT NULL,
    UpdatedAt        TEXT    NOT NULL
);

CREATE UNIQUE INDEX UX_Kpi_KeyNormalized ON Kpi (KeyNormalized);
CREATE INDEX IX_Kpi_OwnerTeamId ON Kpi (OwnerTeamId);

CREATE TABLE KpiTag (
    KpiId TEXT NOT NULL REFERENCES Kpi (Id) ON DELETE CASCADE,
    Tag   TEXT NOT NULL,
    PRIMARY KEY (KpiId, Tag)
);

CREATE INDEX IX_KpiTag_Tag ON KpiTag (Tag, KpiId);
