-- Small named facts about this installation, e.g. that the demo organisation was seeded once.
CREATE TABLE AppState (
    Name  TEXT NOT NULL PRIMARY KEY,
    Value TEXT NOT NULL
);
