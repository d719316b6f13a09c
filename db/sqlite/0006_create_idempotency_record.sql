-- The first response to a request carrying an Idempotency-Key, written in the same transaction as the
-- change it describes, so a retry replays it instead of applying the change twice.
CREATE TABLE IdempotencyRecord (
    Scope          TEXT    NOT NULL,
    IdempotencyKey TEXT    NOT NULL,
    RequestHash    TEXT    NOT NULL,
    ResponseStatus INTEGER NOT NULL,
    ResponseBody   TEXT    NOT NULL,
    CreatedAt      TEXT    NOT NULL,
    ExpiresAt      TEXT    NOT NULL,
    PRIMARY KEY (Scope, IdempotencyKey)
);

CREATE INDEX IX_IdempotencyRecord_ExpiresAt ON IdempotencyRecord (ExpiresAt);
