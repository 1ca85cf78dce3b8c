-- FAQ round two (issue 11). Matching now scores every entry in memory, so the FTS5 table
-- goes; the content is kept as one stored index with the hash of the content it was built
-- from (a restart with unchanged content loads it instead of re-stemming the files, and
-- it is the last good set when new files are refused). LO answers can become drafts, and
-- approved drafts are entries kept in the database.
DROP TABLE faq_fts;
DROP TABLE faq_entries;

CREATE TABLE faq_index (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    content_hash TEXT NOT NULL,
    data         TEXT NOT NULL,
    built_at     TEXT NOT NULL
);

CREATE TABLE faq_drafts (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL UNIQUE REFERENCES tickets (id),
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'draf' CHECK (status IN ('draf', 'disetujui', 'ditolak')),
    decided_by INTEGER,
    decided_at TEXT,
    entry_id   TEXT
);
CREATE INDEX faq_drafts_status ON faq_drafts (status, id);

-- Entries approved from drafts: the same JSON shape as a content file's entry.
CREATE TABLE faq_learned (
    id          TEXT PRIMARY KEY,
    draft_id    INTEGER NOT NULL REFERENCES faq_drafts (id),
    data        TEXT NOT NULL,
    approved_by INTEGER NOT NULL,
    approved_at TEXT NOT NULL
);
