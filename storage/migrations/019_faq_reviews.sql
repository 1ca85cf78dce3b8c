-- FAQ review (issue 20): a reviewer (the head of office or a named Kasi, role 'peninjau')
-- approves each entry or sends it back with a note. A decision is about the entry's
-- content as it was shown (its fingerprint and a copy, for the diff at the next review):
-- a content change makes the entry due again without touching this table.
CREATE TABLE roles_new (
    office_id  INTEGER NOT NULL REFERENCES offices (id),
    user_id    INTEGER NOT NULL,
    role       TEXT NOT NULL CHECK (role IN
               ('admin', 'lo', 'cso', 'supervisor', 'kepala', 'kepatuhan', 'peninjau')),
    granted_by INTEGER,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (office_id, user_id, role)
);
INSERT INTO roles_new SELECT office_id, user_id, role, granted_by, granted_at FROM roles;
DROP TABLE roles;
ALTER TABLE roles_new RENAME TO roles;

CREATE TABLE faq_reviews (
    id            INTEGER PRIMARY KEY,
    entry_id      TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    content       TEXT NOT NULL,
    decision      TEXT NOT NULL CHECK (decision IN ('disetujui', 'dikembalikan')),
    note          TEXT,
    reviewer_id   INTEGER NOT NULL,
    reviewer_name TEXT NOT NULL,
    decided_at    TEXT NOT NULL
);
CREATE INDEX faq_reviews_entry ON faq_reviews (entry_id, id);
