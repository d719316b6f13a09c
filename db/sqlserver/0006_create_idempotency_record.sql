-- The first response to a request carrying an Idempotency-Key, written in the same transaction as the
-- change it describes, so a retry replays it instead of applying the change twice.
CREATE TABLE IdempotencyRecord (
    Scope            NVARCHAR(200)     NOT NULL,
    IdempotencyKey   NVARCHAR(200)     NOT NULL,
    RequestHash      CHAR(64)          NOT NULL,
    ResponseStatus   INT               NOT NULL,
    ResponseBody     NVARCHAR(MAX)     NOT NULL,
    CreatedAt        DATETIMEOFFSET(7) NOT NULL,
    ExpiresAt        DATETIMEOFFSET(7) NOT NULL,
    CONSTRAINT PK_IdempotencyRecord PRIMARY KEY (Scope, IdempotencyKey)
);

CREATE INDEX IX_IdempotencyRecord_ExpiresAt ON IdempotencyRecord (ExpiresAt);
