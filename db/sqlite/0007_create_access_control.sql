-- People who sign in, the teams they belong to (an editor writes what its teams own), their server-side
-- sessions, the API tokens integrators use, the append-only audit log and the Data Protection key ring
-- (kept here so every instance accepts the antiforgery tokens of every other).
CREATE TABLE AppUser (
    Id              TEXT    NOT NULL PRIMARY KEY,
    Email           TEXT    NOT NULL,
    EmailNormalized TEXT    NOT NULL,
    DisplayName     TEXT    NOT NULL,
    Role            TEXT    NOT NULL,
    PasswordHash    TEXT    NULL,
    ExternalSubject TEXT    NULL,
    Disabled        INTEGER NOT NULL,
    Version         INTEGER NOT NULL,
    CreatedAt       TEXT    NOT NULL,
    UpdatedAt       TEXT    NOT NULL
);

CREATE UNIQUE INDEX UX_AppUser_EmailNormalized ON AppUser (EmailNormalized);

CREATE TABLE TeamMember (
    UserId TEXT NOT NULL REFERENCES AppUser (Id) ON DELETE CASCADE,
    TeamId TEXT NOT NULL REFERENCES Team (Id) ON DELETE CASCADE,
    PRIMARY KEY (UserId, TeamId)
);

CREATE INDEX IX_TeamMember_TeamId ON TeamMember (TeamId);

-- The cookie carries a random session id; only its SHA-256 is stored, so a copy of the table signs nobody in.
CREATE TABLE UserSession (
    IdHash     TEXT NOT NULL PRIMARY KEY,
    UserId     TEXT NOT NULL REFERENCES AppUser (Id) ON DELETE CASCADE,
    CreatedAt  TEXT NOT NULL,
    LastSeenAt TEXT NOT NULL,
    ExpiresAt  TEXT NOT NULL
);

CREATE INDEX IX_UserSession_UserId ON UserSession (UserId);
CREATE INDEX IX_UserSession_ExpiresAt ON UserSession (ExpiresAt);

CREATE TABLE ApiToken (
    Id         TEXT NOT NULL PRIMARY KEY,
    PublicId   TEXT NOT NULL,
    SecretHash TEXT NOT NULL,
    Name       TEXT NOT NULL,
    UserId     TEXT NOT NULL REFERENCES AppUser (Id) ON DELETE CASCADE,
    Scopes     TEXT NOT NULL,
    KpiKeys    TEXT NULL,
    CreatedAt  TEXT NOT NULL,
    ExpiresAt  TEXT NOT NULL,
    RevokedAt  TEXT NULL,
    LastUsedAt TEXT NULL
);

CREATE UNIQUE INDEX UX_ApiToken_PublicId ON ApiToken (PublicId);
CREATE INDEX IX_ApiToken_UserId ON ApiToken (UserId);

-- Append-only: nothing updates or deletes these rows. Actor is an email or a token's public id, kept as
-- text so an entry still says who acted after that user or token is gone.
CREATE TABLE AuditEntry (
    Id        TEXT NOT NULL PRIMARY KEY,
    At        TEXT NOT NULL,
    ActorKind TEXT NOT NULL,
    ActorId   TEXT NULL,
    Actor     TEXT NOT NULL,
    Entity    TEXT NOT NULL,
    EntityId  TEXT NOT NULL,
    Action    TEXT NOT NULL,
    Before    TEXT NULL,
    After     TEXT NULL
);

CREATE INDEX IX_AuditEntry_At ON AuditEntry (At, Id);
CREATE INDEX IX_AuditEntry_Entity ON AuditEntry (Entity, EntityId, At);
CREATE INDEX IX_AuditEntry_Actor ON AuditEntry (Actor, At);

CREATE TABLE DataProtectionKey (
    FriendlyName TEXT NOT NULL PRIMARY KEY,
    Xml          TEXT NOT NULL
);
