-- Complaints however they are written (issue 18): with a photo or document (its caption
-- was the complaint), as '/pengaduan' followed by the text, or as a reply to the bot's
-- acknowledgement in the group.
ALTER TABLE complaints ADD COLUMN attachment_kind TEXT
    CHECK (attachment_kind IN ('photo', 'document'));
ALTER TABLE complaints ADD COLUMN attachment_id TEXT;
-- The bot's acknowledgement in the group, recorded when it was sent: a reply to it from
-- the complainant adds details to the complaint.
ALTER TABLE complaints ADD COLUMN ack_message_id INTEGER;
CREATE INDEX complaints_ack ON complaints (chat_id, ack_message_id)
    WHERE ack_message_id IS NOT NULL;

-- '/pengaduan' alone in a group: the member's next message there is the complaint.
CREATE TABLE complaint_prompts (
    chat_id    INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    asked_at   TEXT NOT NULL,
    PRIMARY KEY (chat_id, user_id)
);

-- Details the complainant added by replying to the acknowledgement: one row per message,
-- so handling the same update twice adds its text once.
CREATE TABLE complaint_details (
    complaint_id INTEGER NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    message_id   INTEGER NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (complaint_id, message_id)
);
