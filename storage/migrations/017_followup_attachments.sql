-- A follow-up may carry a photo or document (the caption is its text), kept as tickets
-- keep theirs: the Telegram file id and its kind; /tiket shows it in private.
ALTER TABLE ticket_followups ADD COLUMN attachment_kind TEXT;
ALTER TABLE ticket_followups ADD COLUMN attachment_id TEXT;
