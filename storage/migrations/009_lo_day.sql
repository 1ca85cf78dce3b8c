-- The LO's day (issue 10).

-- "Sedang diproses": acknowledged, not answered; the SLA clock keeps running.
ALTER TABLE tickets ADD COLUMN progress_at TEXT;
ALTER TABLE tickets ADD COLUMN progress_note TEXT;

-- Every message the bot sent about a ticket (the private notice, a digest, the "Jawab"
-- prompt, its posts in the group), so that a reply to any of them finds the ticket.
CREATE TABLE ticket_messages (
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    ticket_id  INTEGER NOT NULL REFERENCES tickets (id),
    PRIMARY KEY (chat_id, message_id, ticket_id)
);
