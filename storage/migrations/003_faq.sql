-- FAQ content as loaded from the reviewed files (the previous load stays when a new one
-- is refused), the FTS5 index over its normalised text, and a log of every question
-- the FAQ considered (answered or not, with the asker's vote) to grow the content.
CREATE TABLE faq_entries (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    category    TEXT NOT NULL,
    reviewed    TEXT NOT NULL,
    data        TEXT NOT NULL,
    source_file TEXT NOT NULL,
    loaded_at   TEXT NOT NULL
);

-- SQLite-only: the one FTS5 table. Columns hold normalised stems, not raw text.
CREATE VIRTUAL TABLE faq_fts USING fts5 (
    entry_id UNINDEXED, title, keywords, questions, body, tokenize = 'unicode61'
);

CREATE TABLE faq_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    chat_id    INTEGER,
    message_id INTEGER,
    user_id    INTEGER,
    question   TEXT NOT NULL,
    entry_id   TEXT,
    confidence REAL NOT NULL,
    answered   INTEGER NOT NULL,
    vote       TEXT CHECK (vote IN ('terjawab', 'belum')),
    ticket_id  INTEGER REFERENCES tickets (id)
);
CREATE INDEX faq_log_misses ON faq_log (answered, vote, at);
