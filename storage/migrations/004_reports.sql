-- Scheduled reports sent, one row per office, kind and period: a restart never sends
-- a period's report twice.
CREATE TABLE report_sends (
    office_id INTEGER NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('bulanan', 'triwulanan')),
    period    TEXT NOT NULL,
    sent_at   TEXT NOT NULL,
    PRIMARY KEY (office_id, kind, period)
);

-- Outbox rows may carry a file (a report workbook or chart) kept on disk.
ALTER TABLE outbox ADD COLUMN attachment TEXT;
