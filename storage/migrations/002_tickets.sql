-- Consultation tickets. Deadlines, waited time and the on-time verdict are stored when
-- they are decided, so a later calendar change does not rewrite history.
CREATE TABLE ticket_counters (
    office_id INTEGER NOT NULL,
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (office_id, year)
);

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    office_id         INTEGER NOT NULL DEFAULT 1 REFERENCES offices (id),
    number            TEXT NOT NULL,
    chat_id           INTEGER REFERENCES groups (chat_id) ON UPDATE CASCADE,
    message_id        INTEGER,
    bot_message_id    INTEGER,
    asker_id          INTEGER,
    asker_name        TEXT,
    kode_satker       TEXT,
    channel           TEXT NOT NULL CHECK (channel IN
                      ('grup', 'meja_layanan', 'telepon', 'surat', 'email', 'whatsapp')),
    text              TEXT NOT NULL,
    attachment_kind   TEXT CHECK (attachment_kind IN ('photo', 'document')),
    attachment_id     TEXT,
    lo_user_id        INTEGER,
    recorded_by       INTEGER,
    status            TEXT NOT NULL CHECK (status IN
                      ('baru', 'dijawab', 'selesai', 'bukan_pertanyaan')),
    created_at        TEXT NOT NULL,
    clock_start_at    TEXT NOT NULL,
    due_at            TEXT NOT NULL,
    first_due_at      TEXT NOT NULL,
    answered_at       TEXT,
    answered_by       INTEGER,
    answer_text       TEXT,
    waited_hours      REAL NOT NULL DEFAULT 0,
    on_time           INTEGER,
    closed_at         TEXT,
    rating            INTEGER CHECK (rating BETWEEN 1 AND 5),
    reopen_count      INTEGER NOT NULL DEFAULT 0,
    stage             INTEGER NOT NULL DEFAULT 0,
    next_due_at       TEXT,
    UNIQUE (office_id, number)
);
-- The tick asks "what fell due?": a partial index keeps that cheap with many tickets.
CREATE INDEX tickets_next_due ON tickets (next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX tickets_open ON tickets (office_id, status, due_at);
CREATE INDEX tickets_chat_message ON tickets (chat_id, message_id);
CREATE INDEX tickets_chat_bot_message ON tickets (chat_id, bot_message_id);
CREATE INDEX tickets_lo ON tickets (lo_user_id, status);
CREATE INDEX tickets_created ON tickets (office_id, created_at);

CREATE TABLE ticket_events (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    at        TEXT NOT NULL,
    actor_id  INTEGER,
    kind      TEXT NOT NULL,
    detail    TEXT
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

-- An LO on leave hands their tickets and reminders to a backup until a date.
CREATE TABLE lo_backups (
    lo_user_id     INTEGER PRIMARY KEY,
    backup_user_id INTEGER NOT NULL,
    until_day      TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
