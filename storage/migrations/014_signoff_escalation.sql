-- A report still not approved when its 5-working-day window closes is reported once to the
-- next role up (the head of office, or the admins when the head of office holds it).
-- escalated_at marks that it was done (written with the outbox rows, so a restart neither
-- loses nor repeats it); escalated_stage is the stage it was stuck in, for /rekap.
ALTER TABLE report_signoffs ADD COLUMN escalated_at TEXT;
ALTER TABLE report_signoffs ADD COLUMN escalated_stage TEXT;
