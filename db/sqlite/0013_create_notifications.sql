-- What the product tells the world (docs/webhooks.md). An event is appended to OutboxEvent in the transaction of the
-- change that causes it, so a rolled-back change emits nothing and a committed one survives a crash. The delivery
-- worker fans each undispatched event out to the matching subscriptions (WebhookDelivery, one row per subscription and
-- event, with its attempts) and to the people who own or follow its subject (Alert). JobLease lets one instance at a
-- time run the worker and the lateness sweep.
CREATE TABLE OutboxEvent (
    Id           TEXT NOT NULL PRIMARY KEY,
    Type         TEXT NOT NULL,
    OccurredAt   TEXT NOT NULL,
    TeamId       TEXT NULL,
    KpiKey       TEXT NULL,
    KpiId        TEXT NULL,
    ObjectiveId  TEXT NULL,
    KeyResultId  TEXT NULL,
    Status       TEXT NULL,
    -- A sweep's event names what it found (say, a KPI late for one period), so finding it again emits nothing.
    DedupKey     TEXT NULL,
    Payload      TEXT NOT NULL,
    DispatchedAt TEXT NULL
);

CREATE INDEX IX_OutboxEvent_Undispatched ON OutboxEvent (Id) WHERE DispatchedAt IS NULL;
CREATE UNIQUE INDEX UX_OutboxEvent_DedupKey ON OutboxEvent (DedupKey) WHERE DedupKey IS NOT NULL;

CREATE TABLE WebhookSubscription (
    Id                      TEXT    NOT NULL PRIMARY KEY,
    Name                    TEXT    NOT NULL,
    Url                     TEXT    NOT NULL,
    Format                  TEXT    NOT NULL,
    EventTypes              TEXT    NOT NULL,
    TeamIds                 TEXT    NULL,
    KpiKeys                 TEXT    NULL,
    Statuses                TEXT    NULL,
    -- Data Protection ciphertexts; the previous secret still signs until PreviousSecretExpiresAt.
    Secret                  TEXT    NOT NULL,
    PreviousSecret          TEXT    NULL,
    PreviousSecretExpiresAt TEXT    NULL,
    Enabled                 INTEGER NOT NULL,
    DisabledReason          TEXT    NULL,
    ConsecutiveFailures     INTEGER NOT NULL,
    CreatedBy               TEXT    NULL REFERENCES AppUser (Id) ON DELETE SET NULL,
    Version                 INTEGER NOT NULL,
    CreatedAt               TEXT    NOT NULL,
    UpdatedAt               TEXT    NOT NULL
);

CREATE TABLE WebhookDelivery (
    Id             TEXT    NOT NULL PRIMARY KEY,
    SubscriptionId TEXT    NOT NULL REFERENCES WebhookSubscription (Id) ON DELETE CASCADE,
    EventId        TEXT    NOT NULL REFERENCES OutboxEvent (Id),
    Status         TEXT    NOT NULL,
    Attempts       INTEGER NOT NULL,
    NextAttemptAt  TEXT    NULL,
    CreatedAt      TEXT    NOT NULL,
    DeliveredAt    TEXT    NULL
);

CREATE INDEX IX_WebhookDelivery_Due ON WebhookDelivery (NextAttemptAt) WHERE Status = 'pending';
CREATE INDEX IX_WebhookDelivery_SubscriptionId ON WebhookDelivery (SubscriptionId, Id);

CREATE TABLE WebhookAttempt (
    Id           TEXT    NOT NULL PRIMARY KEY,
    DeliveryId   TEXT    NOT NULL REFERENCES WebhookDelivery (Id) ON DELETE CASCADE,
    Number       INTEGER NOT NULL,
    AttemptedAt  TEXT    NOT NULL,
    StatusCode   INTEGER NULL,
    LatencyMs    INTEGER NOT NULL,
    Succeeded    INTEGER NOT NULL,
    Error        TEXT    NULL,
    ResponseBody TEXT    NULL
);

CREATE UNIQUE INDEX UX_WebhookAttempt_DeliveryId_Number ON WebhookAttempt (DeliveryId, Number);

CREATE TABLE Follow (
    UserId      TEXT NOT NULL REFERENCES AppUser (Id) ON DELETE CASCADE,
    SubjectType TEXT NOT NULL,
    SubjectId   TEXT NOT NULL,
    CreatedAt   TEXT NOT NULL,
    PRIMARY KEY (UserId, SubjectType, SubjectId)
);

CREATE INDEX IX_Follow_Subject ON Follow (SubjectType, SubjectId);

CREATE TABLE Alert (
    Id        TEXT NOT NULL PRIMARY KEY,
    UserId    TEXT NOT NULL REFERENCES AppUser (Id) ON DELETE CASCADE,
    EventId   TEXT NOT NULL REFERENCES OutboxEvent (Id),
    CreatedAt TEXT NOT NULL,
    ReadAt    TEXT NULL
);

CREATE UNIQUE INDEX UX_Alert_UserId_EventId ON Alert (UserId, EventId);
CREATE INDEX IX_Alert_Unread ON Alert (UserId, Id) WHERE ReadAt IS NULL;

CREATE TABLE JobLease (
    Name      TEXT NOT NULL PRIMARY KEY,
    Holder    TEXT NOT NULL,
    ExpiresAt TEXT NOT NULL
);
