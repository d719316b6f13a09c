-- Integrations (docs/integrations.md). A service account is a person-like owner of API tokens that belongs to the
-- organisation: admins manage it, it never signs in, and disabling a person leaves its tokens working. A token may be
-- rotated with overlap (the previous secret keeps working until PreviousSecretExpiresAt) and restricted to one
-- receiver. A receiver turns a provider's own webhook payload (Azure DevOps, Jira, any JSON) into KPI values or events
-- with JMESPath expressions kept in Definition; its last deliveries are kept for admins to read.
ALTER TABLE AppUser ADD COLUMN IsServiceAccount INTEGER NOT NULL DEFAULT 0;

ALTER TABLE ApiToken ADD COLUMN PreviousSecretHash TEXT NULL;
ALTER TABLE ApiToken ADD COLUMN PreviousSecretExpiresAt TEXT NULL;
ALTER TABLE ApiToken ADD COLUMN RotatedAt TEXT NULL;
ALTER TABLE ApiToken ADD COLUMN LastUsedFrom TEXT NULL;
ALTER TABLE ApiToken ADD COLUMN ReceiverId TEXT NULL;
ALTER TABLE ApiToken ADD COLUMN Version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE Receiver (
    Id         TEXT    NOT NULL PRIMARY KEY,
    Name       TEXT    NOT NULL,
    Preset     TEXT    NOT NULL,
    Definition TEXT    NOT NULL,
    Enabled    INTEGER NOT NULL,
    Version    INTEGER NOT NULL,
    CreatedAt  TEXT    NOT NULL,
    UpdatedAt  TEXT    NOT NULL
);

CREATE TABLE ReceiverDelivery (
    Id         TEXT    NOT NULL PRIMARY KEY,
    ReceiverId TEXT    NOT NULL REFERENCES Receiver (Id) ON DELETE CASCADE,
    At         TEXT    NOT NULL,
    Status     INTEGER NOT NULL,
    Outcome    TEXT    NOT NULL,
    Reason     TEXT    NULL
);

CREATE INDEX IX_ReceiverDelivery_ReceiverId ON ReceiverDelivery (ReceiverId, Id);
