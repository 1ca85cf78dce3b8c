-- Offices: one by default; groups, people and tickets carry office_id so a Kanwil
-- deployment with several KPPN can come later without a schema rewrite.
CREATE TABLE offices (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    timezone    TEXT NOT NULL DEFAULT 'Asia/Jakarta',
    office_type TEXT NOT NULL DEFAULT 'A1'
);
INSERT INTO offices (id, name) VALUES (1, 'KPPN');

-- Everyone the bot has seen, so that @username can be resolved to an id.
CREATE TABLE users (
    user_id    INTEGER PRIMARY KEY,
    username   TEXT,
    full_name  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX users_username ON users (lower(username));

CREATE TABLE roles (
    office_id  INTEGER NOT NULL REFERENCES offices (id),
    user_id    INTEGER NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'lo', 'cso', 'supervisor', 'kepala')),
    granted_by INTEGER,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (office_id, user_id, role)
);

CREATE TABLE groups (
    chat_id       INTEGER PRIMARY KEY,
    office_id     INTEGER NOT NULL DEFAULT 1 REFERENCES offices (id),
    title         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'inactive')),
    lo_user_id    INTEGER,
    kl_name       TEXT,
    created_at    TEXT NOT NULL,
    registered_at TEXT,
    inactive_at   TEXT
);
CREATE INDEX groups_lo ON groups (lo_user_id);

CREATE TABLE group_satker (
    chat_id     INTEGER NOT NULL REFERENCES groups (chat_id) ON UPDATE CASCADE ON DELETE CASCADE,
    kode_satker TEXT NOT NULL CHECK (length(kode_satker) = 6),
    name        TEXT NOT NULL,
    PRIMARY KEY (chat_id, kode_satker)
);

CREATE TABLE operators (
    user_id       INTEGER NOT NULL,
    chat_id       INTEGER NOT NULL REFERENCES groups (chat_id) ON UPDATE CASCADE ON DELETE CASCADE,
    kode_satker   TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    PRIMARY KEY (user_id, chat_id)
);

-- Privileged actions: who did what, when.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    office_id INTEGER NOT NULL DEFAULT 1,
    at        TEXT NOT NULL,
    actor_id  INTEGER NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT,
    detail    TEXT
);

-- Admin overrides of the working calendar (decrees move cuti bersama).
CREATE TABLE calendar_overrides (
    office_id INTEGER NOT NULL DEFAULT 1,
    day       TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    note      TEXT,
    PRIMARY KEY (office_id, day)
);

-- Everything the bot sends on its own initiative; the key makes each send happen once.
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    key                 TEXT NOT NULL UNIQUE,
    chat_id             INTEGER NOT NULL,
    text                TEXT NOT NULL,
    reply_markup        TEXT,
    reply_to_message_id INTEGER,
    status              TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sent', 'failed')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    not_before          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    sent_at             TEXT,
    message_id          INTEGER,
    error               TEXT
);
CREATE INDEX outbox_due ON outbox (status, not_before);
