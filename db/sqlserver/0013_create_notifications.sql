-- What the product tells the world (docs/webhooks.md). An event is appended to OutboxEvent in the transaction of the
-- change that causes it, so a rolled-back change emits nothing and a committed one survives a crash. The delivery
-- worker fans each undispatched event out to the matching subscriptions (WebhookDelivery, one row per subscription and
-- event, with its attempts) and to the people who own or follow its subject (Alert). JobLease lets one instance at a
-- time run the worker and the lateness sweep.
CREATE TABLE OutboxEvent (
    Id           UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_OutboxEvent PRIMARY KEY NONCLUSTERED,
    Type         VARCHAR(64)       NOT NULL,
    OccurredAt   DATETIMEOFFSET(7) NOT NULL,
    TeamId       UNIQUEIDENTIFIER  NULL,
    KpiKey       NVARCHAR(100)     NULL,
    KpiId        UNIQUEIDENTIFIER  NULL,
    ObjectiveId  UNIQUEIDENTIFIER  NULL,
    KeyResultId  UNIQUEIDENTIFIER  NULL,
    Status       VARCHAR(32)       NULL,
    -- A sweep's event names what it found (say, a KPI late for one period), so finding it again emits nothing.
    DedupKey     NVARCHAR(300)     NULL,
    Payload      NVARCHAR(MAX)     NOT NULL,
    DispatchedAt DATETIMEOFFSET(7) NULL
);

CREATE INDEX IX_OutboxEvent_Undispatched ON OutboxEvent (Id) WHERE DispatchedAt IS NULL;
CREATE UNIQUE INDEX UX_OutboxEvent_DedupKey ON OutboxEvent (DedupKey) WHERE DedupKey IS NOT NULL;

CREATE TABLE WebhookSubscription (
    Id                      UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_WebhookSubscription PRIMARY KEY NONCLUSTERED,
    Name                    NVARCHAR(200)     NOT NULL,
    Url                     NVARCHAR(2000)    NOT NULL,
    Format                  VARCHAR(16)       NOT NULL,
    EventTypes              VARCHAR(1000)     NOT NULL,
    TeamIds                 VARCHAR(4000)     NULL,
    KpiKeys                 NVARCHAR(4000)    NULL,
    Statuses                VARCHAR(200)      NULL,
    -- Data Protection ciphertexts; the previous secret still signs until PreviousSecretExpiresAt.
    Secret                  NVARCHAR(1000)    NOT NULL,
    PreviousSecret          NVARCHAR(1000)    NULL,
    PreviousSecretExpiresAt DATETIMEOFFSET(7) NULL,
    Enabled                 BIT               NOT NULL,
    DisabledReason          NVARCHAR(400)     NULL,
    ConsecutiveFailures     INT               NOT NULL,
    CreatedBy               UNIQUEIDENTIFIER  NULL CONSTRAINT FK_WebhookSubscription_User REFERENCES AppUser (Id) ON DELETE SET NULL,
    Version                 BIGINT            NOT NULL,
    CreatedAt               DATETIMEOFFSET(7) NOT NULL,
    UpdatedAt               DATETIMEOFFSET(7) NOT NULL
);

CREATE TABLE WebhookDelivery (
    Id             UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_WebhookDelivery PRIMARY KEY NONCLUSTERED,
    SubscriptionId UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_WebhookDelivery_Subscription REFERENCES WebhookSubscription (Id) ON DELETE CASCADE,
    EventId        UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_WebhookDelivery_Event REFERENCES OutboxEvent (Id),
    Status         VARCHAR(16)       NOT NULL,
    Attempts       INT               NOT NULL,
    NextAttemptAt  DATETIMEOFFSET(7) NULL,
    CreatedAt      DATETIMEOFFSET(7) NOT NULL,
    DeliveredAt    DATETIMEOFFSET(7) NULL
);

CREATE INDEX IX_WebhookDelivery_Due ON WebhookDelivery (NextAttemptAt) WHERE Status = 'pending';
CREATE INDEX IX_WebhookDelivery_SubscriptionId ON WebhookDelivery (SubscriptionId, Id);

CREATE TABLE WebhookAttempt (
    Id           UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_WebhookAttempt PRIMARY KEY NONCLUSTERED,
    DeliveryId   UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_WebhookAttempt_Delivery REFERENCES WebhookDelivery (Id) ON DELETE CASCADE,
    Number       INT               NOT NULL,
    AttemptedAt  DATETIMEOFFSET(7) NOT NULL,
    StatusCode   INT               NULL,
    LatencyMs    INT               NOT NULL,
    Succeeded    BIT               NOT NULL,
    Error        NVARCHAR(400)     NULL,
    ResponseBody NVARCHAR(1000)    NULL
);

CREATE UNIQUE INDEX UX_WebhookAttempt_DeliveryId_Number ON WebhookAttempt (DeliveryId, Number);

CREATE TABLE Follow (
    UserId      UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_Follow_User REFERENCES AppUser (Id) ON DELETE CASCADE,
    SubjectType VARCHAR(16)       NOT NULL,
    SubjectId   UNIQUEIDENTIFIER  NOT NULL,
    CreatedAt   DATETIMEOFFSET(7) NOT NULL,
    CONSTRAINT PK_Follow PRIMARY KEY (UserId, SubjectType, SubjectId)
);

CREATE INDEX IX_Follow_Subject ON Follow (SubjectType, SubjectId);

CREATE TABLE Alert (
    Id        UNIQUEIDENTIFIER  NOT NULL CONSTRAINT PK_Alert PRIMARY KEY NONCLUSTERED,
    UserId    UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_Alert_User REFERENCES AppUser (Id) ON DELETE CASCADE,
    EventId   UNIQUEIDENTIFIER  NOT NULL CONSTRAINT FK_Alert_Event REFERENCES OutboxEvent (Id),
    CreatedAt DATETIMEOFFSET(7) NOT NULL,
    ReadAt    DATETIMEOFFSET(7) NULL
);

CREATE UNIQUE INDEX UX_Alert_UserId_EventId ON Alert (UserId, EventId);
CREATE INDEX IX_Alert_Unread ON Alert (UserId, Id) WHERE ReadAt IS NULL;

CREATE TABLE JobLease (
    Name      VARCHAR(64)       NOT NULL CONSTRAINT PK_JobLease PRIMARY KEY,
    Holder    VARCHAR(100)      NOT NULL,
    ExpiresAt DATETIMEOFFSET(7) NOT NULL
);
