-- Several workers on one PostgreSQL (bot/workers.py). Unused on SQLite (one process).

-- The worker sending an outbox row right now (its number, see storage/coordination.py):
-- set when a worker claims the row, cleared when the row is sent, failed or postponed.
-- A claim of a worker that is gone (its session lock dropped) is taken over.
ALTER TABLE outbox ADD COLUMN claimed_by INTEGER;
CREATE INDEX outbox_claimed ON outbox (chat_id) WHERE claimed_by IS NOT NULL;

-- Telegram's sending windows shared by the workers (bot/ratelimit.py): one row per
-- message sent in the last minute, its times in seconds since the epoch (the limiter's
-- own arithmetic; these are not dates anyone reads). done_at NULL: still in flight.
CREATE TABLE send_slots (
    id       INTEGER PRIMARY KEY,
    chat_id  INTEGER NOT NULL,
    taken_at REAL NOT NULL,
    done_at  REAL
);
CREATE INDEX send_slots_done ON send_slots (done_at);

-- A 429's wait, for every worker: the chat (0: the whole bot) and until when (epoch s).
CREATE TABLE send_blocks (
    chat_id INTEGER PRIMARY KEY,
    until   REAL NOT NULL
);
