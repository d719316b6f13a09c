-- Integrations (docs/integrations.md). A service account is a person-like owner of API tokens that belongs to the
-- organisation: admins manage it, it never signs in, and disabling a person leaves its tokens working. A token may be
-- rotated with overlap (the previous secret keeps working until PreviousSecretExpiresAt) and restricted to one
-- receiver. A receiver turns a provider's own webhook payload (Azure DevOps, Jira, any JSON) into KPI values or events
-- with JMESPath expressions kept in Definition; its last deliveries are kept for admins to read.
ALTER TABLE AppUser ADD IsServiceAccount BIT NOT NULL CONSTRAINT DF_AppUser_IsServiceAccount DEFAULT 0;

ALTER TABLE ApiToken ADD
    PreviousSecretHash      CHAR(64)          NULL,
    PreviousSecretExpiresAt DATETIMEOFFSET(7) NULL,
    RotatedAt               DATETIMEOFFSET(7) NULL,
    LastUsedFrom            VARCHAR(64)       NULL,
    ReceiverId              UNIQUEIDENTIFIER  NULL,
    Version                 BIGINT            NOT NULL CONSTRAINT DF_ApiToken_Version DEFAULT 1;

CREATE TABLE Receiver (
    Id         UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_Receiver PRIMARY KEY NONCLUSTERED,
    Name       NVARCHAR(100)     NOT NULL,
    Preset     VARCHAR(64)       NOT NULL,
    Definition NVARCHAR(MAX)     NOT NULL,
    Enabled    BIT               NOT NULL,
    Version    BIGINT            NOT NULL,
    CreatedAt  DATETIMEOFFSET(7) NOT NULL,
    UpdatedAt  DATETIMEOFFSET(7) NOT NULL
);

CREATE TABLE ReceiverDelivery (
    Id         UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_ReceiverDelivery PRIMARY KEY NONCLUSTERED,
    ReceiverId UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_ReceiverDelivery_Receiver REFERENCES Receiver (Id) ON DELETE CASCADE,
    At         DATETIMEOFFSET(7) NOT NULL,
    Status     INT               NOT NULL,
    Outcome    VARCHAR(32)       NOT NULL,
    Reason     NVARCHAR(1000)    NULL
);

CREATE INDEX IX_ReceiverDelivery_ReceiverId ON ReceiverDelivery (ReceiverId, Id);
