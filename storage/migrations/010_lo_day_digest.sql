-- One conversation, one ticket: details and follow-ups attached to an open ticket.
-- A follow-up can be split off into a ticket of its own ("ini pertanyaan baru").
CREATE TABLE ticket_followups (
    id              INTEGER PRIMARY KEY,
    ticket_id       INTEGER NOT NULL REFERENCES tickets (id),
    chat_id         INTEGER NOT NULL,
    message_id      INTEGER NOT NULL,
    author_id       INTEGER,
    author_name     TEXT,
    text            TEXT NOT NULL,
    at              TEXT NOT NULL,
    split_ticket_id INTEGER REFERENCES tickets (id),
    UNIQUE (chat_id, message_id)
);
CREATE INDEX tickets_asker_open ON tickets (chat_id, asker_id) WHERE status = 'baru';

-- A digest instead of a flood: staff notices (new tickets, follow-ups, reminders, alerts)
-- are items here, written with the change; each person's items go out as ONE message per
-- window (LOBOT_DIGEST_MINUTES), or at once for those who chose /notifikasi segera.
CREATE TABLE digest_items (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL,
    ticket_id  INTEGER REFERENCES tickets (id),
    text       TEXT NOT NULL,  -- the notice on its own
    line       TEXT NOT NULL,  -- its one line in a bundle
    created_at TEXT NOT NULL,
    not_before TEXT NOT NULL,
    outbox_key TEXT
);
CREATE INDEX digest_pending ON digest_items (not_before, user_id) WHERE outbox_key IS NULL;

CREATE TABLE notify_prefs (
    user_id        INTEGER PRIMARY KEY,
    mode           TEXT NOT NULL DEFAULT 'ringkas' CHECK (mode IN ('ringkas', 'segera')),
    last_digest_at TEXT
);
