-- People who sign in, the teams they belong to (an editor writes what its teams own), their server-side
-- sessions, the API tokens integrators use, the append-only audit log and the Data Protection key ring
-- (kept here so every instance accepts the antiforgery tokens of every other).
CREATE TABLE AppUser (
    Id              UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_AppUser PRIMARY KEY NONCLUSTERED,
    Email           NVARCHAR(254)     NOT NULL,
    EmailNormalized NVARCHAR(254)     NOT NULL,
    DisplayName     NVARCHAR(100)     NOT NULL,
    Role            NVARCHAR(20)      NOT NULL,
    PasswordHash    NVARCHAR(400)     NULL,
    ExternalSubject NVARCHAR(200)     NULL,
    Disabled        BIT               NOT NULL,
    Version         BIGINT            NOT NULL,
    CreatedAt       DATETIMEOFFSET(7) NOT NULL,
    UpdatedAt       DATETIMEOFFSET(7) NOT NULL
);

CREATE UNIQUE INDEX UX_AppUser_EmailNormalized ON AppUser (EmailNormalized);

CREATE TABLE TeamMember (
    UserId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_TeamMember_User REFERENCES AppUser (Id) ON DELETE CASCADE,
    TeamId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_TeamMember_Team REFERENCES Team (Id) ON DELETE CASCADE,
    CONSTRAINT PK_TeamMember PRIMARY KEY (UserId, TeamId)
);

CREATE INDEX IX_TeamMember_TeamId ON TeamMember (TeamId);

-- The cookie carries a random session id; only its SHA-256 is stored, so a copy of the table signs nobody in.
CREATE TABLE UserSession (
    IdHash     CHAR(64)          NOT NULL CONSTRAINT PK_UserSession PRIMARY KEY,
    UserId     UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_UserSession_User REFERENCES AppUser (Id) ON DELETE CASCADE,
    CreatedAt  DATETIMEOFFSET(7) NOT NULL,
    LastSeenAt DATETIMEOFFSET(7) NOT NULL,
    ExpiresAt  DATETIMEOFFSET(7) NOT NULL
);

CREATE INDEX IX_UserSession_UserId ON UserSession (UserId);
CREATE INDEX IX_UserSession_ExpiresAt ON UserSession (ExpiresAt);

CREATE TABLE ApiToken (
    Id         UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_ApiToken PRIMARY KEY NONCLUSTERED,
    PublicId   VARCHAR(32)       NOT NULL,
    SecretHash CHAR(64)          NOT NULL,
    Name       NVARCHAR(100)     NOT NULL,
    UserId     UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_ApiToken_User REFERENCES AppUser (Id) ON DELETE CASCADE,
    Scopes     NVARCHAR(200)     NOT NULL,
    KpiKeys    NVARCHAR(MAX)     NULL,
    CreatedAt  DATETIMEOFFSET(7) NOT NULL,
    ExpiresAt  DATETIMEOFFSET(7) NOT NULL,
    RevokedAt  DATETIMEOFFSET(7) NULL,
    LastUsedAt DATETIMEOFFSET(7) NULL
);

CREATE UNIQUE INDEX UX_ApiToken_PublicId ON ApiToken (PublicId);
CREATE INDEX IX_ApiToken_UserId ON ApiToken (UserId);

-- Append-only: nothing updates or deletes these rows. Actor is an email or a token's public id, kept as
-- text so an entry still says who acted after that user or token is gone.
CREATE TABLE AuditEntry (
    Id        UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_AuditEntry PRIMARY KEY NONCLUSTERED,
    At        DATETIMEOFFSET(7) NOT NULL,
    ActorKind NVARCHAR(20)      NOT NULL,
    ActorId   UNIQUEIDENTIFIER  NULL,
    Actor     NVARCHAR(254)     NOT NULL,
    Entity    NVARCHAR(50)      NOT NULL,
    EntityId  NVARCHAR(200)     NOT NULL,
    Action    NVARCHAR(50)      NOT NULL,
    Before    NVARCHAR(MAX)     NULL,
    After     NVARCHAR(MAX)     NULL
);

CREATE CLUSTERED INDEX CX_AuditEntry_At ON AuditEntry (At, Id);
CREATE INDEX IX_AuditEntry_Entity ON AuditEntry (Entity, EntityId, At);
CREATE INDEX IX_AuditEntry_Actor ON AuditEntry (Actor, At);

CREATE TABLE DataProtectionKey (
    FriendlyName NVARCHAR(200) NOT NULL CONSTRAINT PK_DataProtectionKey PRIMARY KEY,
    Xml          NVARCHAR(MAX) NOT NULL
);
