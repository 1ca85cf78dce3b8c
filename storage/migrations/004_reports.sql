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

-- /rekap over a big year: the grouping columns lead, in the GROUP BY order, so SQLite
-- aggregates straight off this covering index, without a sort over every ticket.
CREATE INDEX tickets_report ON tickets (
    office_id, chat_id, lo_user_id, kode_satker, channel, recorded_by, answered_by,
    created_at, status, on_time, due_at, rating, waited_hours
);
-- Percentiles of the answer time: grouped in waited_hours order, again without a sort.
CREATE INDEX tickets_waited ON tickets (office_id, waited_hours, created_at, status);
