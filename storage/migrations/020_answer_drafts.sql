-- A staff message that may be a ticket's answer but could not be assigned with certainty
-- (typed in the group without "reply" while several tickets are open; a reply to a notice
-- about several tickets). The text is kept until the author taps which ticket it answers,
-- so nobody retypes it; resolved_at/outcome record the tap (exactly once).
CREATE TABLE answer_drafts (
    id INTEGER PRIMARY KEY,
    office_id INTEGER NOT NULL DEFAULT 1,
    author_id INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,          -- where the text was written (group or private chat)
    message_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    candidates TEXT NOT NULL,          -- ticket ids, comma-separated, best guess first
    in_group INTEGER NOT NULL,         -- 1: the text is already visible in the ticket's group
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    outcome TEXT,                      -- 'answer:<ticket id>' or 'none'
    UNIQUE (chat_id, message_id)
);

-- The intake looks up an asker's latest FAQ answer and tickets in a group on each message.
CREATE INDEX IF NOT EXISTS faq_log_asker ON faq_log (chat_id, user_id, id);
CREATE INDEX IF NOT EXISTS tickets_asker ON tickets (chat_id, asker_id, id);
