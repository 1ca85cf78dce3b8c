-- A broadcast's progress message is edited from the database, so the edits resume after a
-- restart: each edit is an outbox row (key bc:<id>:progress:<n>) that edits the message
-- edit_message_id instead of sending a new one; the broadcast remembers the text last
-- shown and when, so nothing unchanged is sent again and edits keep their spacing.
ALTER TABLE outbox ADD COLUMN edit_message_id INTEGER;
ALTER TABLE broadcasts ADD COLUMN progress_text TEXT;
ALTER TABLE broadcasts ADD COLUMN progress_at TEXT;
ALTER TABLE broadcasts ADD COLUMN progress_edits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE broadcasts ADD COLUMN progress_closed_at TEXT;
-- Broadcasts finished before this migration keep the message they have.
UPDATE broadcasts SET progress_closed_at = coalesce(finished_at, created_at)
WHERE status <> 'sending';
CREATE INDEX broadcasts_progress_open ON broadcasts (id)
WHERE progress_closed_at IS NULL AND status_message_id IS NOT NULL;
