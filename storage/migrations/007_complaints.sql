-- The compliance section (Seksi Kepatuhan Internal) handles complaints: a new role.
-- SQLite cannot change a CHECK constraint in place, so the roles table is rebuilt.
CREATE TABLE roles_new (
    office_id  INTEGER NOT NULL REFERENCES offices (id),
    user_id    INTEGER NOT NULL,
    role       TEXT NOT NULL CHECK (role IN
               ('admin', 'lo', 'cso', 'supervisor', 'kepala', 'kepatuhan')),
    granted_by INTEGER,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (office_id, user_id, role)
);
INSERT INTO roles_new SELECT office_id, user_id, role, granted_by, granted_at FROM roles;
DROP TABLE roles;
ALTER TABLE roles_new RENAME TO roles;

-- Complaints (pengaduan): separate from consultation tickets, with their own numbers.
-- Status words: diterima (not followed up yet), dalam_proses, selesai; the "clean and
-- clear" report counts diterima as "belum ditindaklanjuti".
CREATE TABLE complaint_counters (
    office_id INTEGER NOT NULL,
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL,
    PRIMARY KEY (office_id, year)
);

CREATE TABLE complaints (
    id                 INTEGER PRIMARY KEY,
    office_id          INTEGER NOT NULL DEFAULT 1 REFERENCES offices (id),
    number             TEXT NOT NULL,
    chat_id            INTEGER REFERENCES groups (chat_id) ON UPDATE CASCADE,
    message_id         INTEGER,
    complainant_id     INTEGER NOT NULL,
    complainant_name   TEXT NOT NULL,
    kode_satker        TEXT,
    channel            TEXT NOT NULL CHECK (channel IN ('grup', 'pribadi')),
    category           TEXT NOT NULL CHECK (category IN ('umum', 'integritas')),
    text               TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('diterima', 'dalam_proses', 'selesai')),
    handler_id         INTEGER,
    created_at         TEXT NOT NULL,
    followed_up_at     TEXT,
    closed_at          TEXT,
    overdue_alerted_at TEXT,
    UNIQUE (office_id, number)
);
CREATE INDEX complaints_status ON complaints (office_id, status, created_at);
CREATE INDEX complaints_created ON complaints (office_id, created_at);
-- Handling the same message twice (after a crash) must find the complaint it recorded.
CREATE INDEX complaints_message ON complaints (complainant_id, message_id);

CREATE TABLE complaint_followups (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    actor_id     INTEGER NOT NULL,
    actor_name   TEXT NOT NULL,
    text         TEXT NOT NULL,
    status       TEXT NOT NULL,
    -- The update that recorded it: handling the same update twice adds nothing.
    source       TEXT UNIQUE
);
CREATE INDEX complaint_followups_complaint ON complaint_followups (complaint_id, id);
