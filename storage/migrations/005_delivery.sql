-- The delivery core: an inbox of updates, and outbox rows that carry a priority and an
-- action to record once Telegram has accepted them.

-- Every update Telegram hands out is stored here before its offset is confirmed, and
-- marked done once handled; after a crash the pending ones are handled again.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    chat_id     INTEGER,
    payload     TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
    received_at TEXT NOT NULL,
    done_at     TEXT
);
CREATE INDEX inbox_pending ON inbox (update_id) WHERE status = 'pending';

-- 0: a reply someone is waiting for; 1: notices and alerts; 2: bulk (broadcasts).
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 1;
-- "name:argument", run in the transaction that records the send (e.g. remember the
-- message id of the bot's reply to a ticket, so replies to it find the ticket).
ALTER TABLE outbox ADD COLUMN on_sent TEXT;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (priority, id) WHERE status = 'pending';
