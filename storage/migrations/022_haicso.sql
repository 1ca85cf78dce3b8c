-- The bridge to HAI CSO (issue 22). HAI CSO (OM-SPAN, menu HAI DJPb) has no API: the CSO
-- types each ticket into its form, and the IKU is computed from what was typed there.
-- A ticket's HAI state lives beside it: no row (or 'belum') is "not entered yet".
CREATE TABLE hai_entries (
    ticket_id  INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    office_id  INTEGER NOT NULL DEFAULT 1,
    state      TEXT NOT NULL CHECK (state IN ('belum', 'diinput', 'tidak_perlu')),
    hai_number TEXT,  -- HAI CSO's own ticket number, when the CSO gave it
    reason     TEXT,  -- why it is not to be entered
    by_user    INTEGER,  -- who entered it (or decided it is not needed)
    at         TEXT,
    -- Set by the 17.00 step (seed 003, 7.b) when the day closed with the ticket not
    -- entered: it goes into the next morning's list, flagged late.
    late_at    TEXT
);
CREATE UNIQUE INDEX hai_entries_number ON hai_entries (office_id, hai_number)
    WHERE hai_number IS NOT NULL;
CREATE INDEX hai_entries_late ON hai_entries (office_id, state, late_at);

-- "Sudah diinput" tapped: the bot waits for the HAI number in the CSO's next reply.
CREATE TABLE hai_prompts (
    user_id    INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

-- The 17.00 step, once per working day (the database is the schedule).
CREATE TABLE hai_days (
    office_id INTEGER NOT NULL,
    day       TEXT NOT NULL,
    closed_at TEXT NOT NULL,
    PRIMARY KEY (office_id, day)
);

-- An uploaded "Laporan Layanan Permasalahan" export, kept until its fixes are tapped.
CREATE TABLE hai_imports (
    id          INTEGER PRIMARY KEY,
    office_id   INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    file_name   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE hai_import_rows (
    import_id   INTEGER NOT NULL REFERENCES hai_imports (id) ON DELETE CASCADE,
    row_number  INTEGER NOT NULL,
    hai_number  TEXT,
    kode_satker TEXT,
    day         TEXT,
    question    TEXT NOT NULL,
    status      TEXT,
    ticket_id   INTEGER,  -- the bot's ticket it was matched (or proposed) to
    how         TEXT NOT NULL CHECK (how IN ('nomor', 'usul', 'dikonfirmasi', 'ditolak', 'tidak_ada')),
    PRIMARY KEY (import_id, row_number)
);
