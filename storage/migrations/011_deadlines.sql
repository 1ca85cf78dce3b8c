-- Deadlines the office must meet (tahap reports, monthly duties), from the reviewed content
-- file (source 'file') or added by an admin with /tahap tambah (source 'admin').
CREATE TABLE deadlines (
    id          INTEGER PRIMARY KEY,
    office_id   INTEGER NOT NULL DEFAULT 1,
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    tahap       TEXT,
    audience    TEXT NOT NULL CHECK (audience IN ('staff', 'satker')),
    roles       TEXT NOT NULL DEFAULT '',       -- staff roles who must report, comma-separated
    user_ids    TEXT NOT NULL DEFAULT '',       -- named users who must report, comma-separated
    recurrence  TEXT NOT NULL CHECK (recurrence IN ('once', 'monthly', 'quarterly')),
    due_date    TEXT,                           -- once: YYYY-MM-DD
    due_day     INTEGER,                        -- monthly/quarterly: day of the month
    due_time    TEXT NOT NULL,                  -- HH:MM office time
    offsets     TEXT NOT NULL,                  -- reminder days before, e.g. '7,3,1,0'
    alert_roles TEXT NOT NULL DEFAULT 'supervisor',
    source      TEXT NOT NULL CHECK (source IN ('file', 'admin')),
    active      INTEGER NOT NULL DEFAULT 1,
    created_by  INTEGER,
    created_at  TEXT NOT NULL,
    UNIQUE (office_id, slug)
);

-- One row per due date of a deadline. next_due_at is the schedule: when the next reminder
-- (step next_step of the computed list) or the after-deadline alert falls due.
CREATE TABLE deadline_occurrences (
    id          INTEGER PRIMARY KEY,
    deadline_id INTEGER NOT NULL REFERENCES deadlines (id) ON DELETE CASCADE,
    occurrence  TEXT NOT NULL,                  -- the due date, YYYY-MM-DD
    due_at      TEXT NOT NULL,
    next_step   INTEGER NOT NULL DEFAULT 0,
    next_due_at TEXT,
    UNIQUE (deadline_id, occurrence)
);
CREATE INDEX deadline_occurrences_next_due ON deadline_occurrences (next_due_at)
    WHERE next_due_at IS NOT NULL;

-- "Sudah disampaikan": who reported (party 'u<user id>' or 's<kode satker>'), who pressed, when.
CREATE TABLE deadline_reports (
    occurrence_id INTEGER NOT NULL REFERENCES deadline_occurrences (id) ON DELETE CASCADE,
    party         TEXT NOT NULL,
    reported_by   INTEGER NOT NULL,
    reported_at   TEXT NOT NULL,
    PRIMARY KEY (occurrence_id, party)
);
