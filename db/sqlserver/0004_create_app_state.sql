-- Small named facts about this installation, e.g. that the demo organisation was seeded once.
CREATE TABLE AppState (
    Name  NVARCHAR(100)  NOT NULL CONSTRAINT PK_AppState PRIMARY KEY,
    Value NVARCHAR(4000) NOT NULL
);
