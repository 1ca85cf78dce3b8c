-- Attachment files written for a broadcast (per-group CSV lists) are removed once no outbox
-- row can need them again: the broadcast finished or was cancelled, or its draft expired.
-- files_removed_at records that it was done (files first, then this mark: a crash in
-- between only removes missing files again).
ALTER TABLE broadcasts ADD COLUMN files_removed_at TEXT;
CREATE INDEX broadcasts_files_kept ON broadcasts (status, created_at)
WHERE files_removed_at IS NULL;
