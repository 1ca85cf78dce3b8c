-- Broadcasts (/umumkan), status updates (/status) and per-satker files (CSV/XLSX).
-- A broadcast is recorded before anything is sent; on confirmation one outbox row per
-- group (key bc:<id>:<chat_id>) is written in the same transaction, so a restart resumes
-- it and no group gets it twice. Progress and the final report read those rows back.
CREATE TABLE broadcasts (
    id                INTEGER PRIMARY KEY,
    office_id         INTEGER NOT NULL DEFAULT 1 REFERENCES offices (id),
    kind              TEXT NOT NULL CHECK (kind IN ('umumkan', 'status', 'berkas')),
    created_by        INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    target            TEXT NOT NULL,
    text              TEXT NOT NULL,
    attachment        TEXT,
    status            TEXT NOT NULL CHECK (status IN ('draft', 'sending', 'done', 'cancelled')),
    confirmed_at      TEXT,
    finished_at       TEXT,
    status_chat_id    INTEGER,
    status_message_id INTEGER,
    source            TEXT UNIQUE
);
CREATE INDEX broadcasts_sending ON broadcasts (status) WHERE status = 'sending';

CREATE TABLE broadcast_targets (
    broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    chat_id      INTEGER NOT NULL,
    title        TEXT NOT NULL,
    text         TEXT,
    attachment   TEXT,
    skipped      TEXT,
    PRIMARY KEY (broadcast_id, chat_id)
);
