-- The scheduled report's sign-off (seed 002): the CSO's draft, checked by the supervisor,
-- approved by the head of office, within 5 working days. One row per report.
CREATE TABLE report_signoffs (
    id           INTEGER PRIMARY KEY,
    office_id    INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('bulanan', 'triwulanan')),
    period       TEXT NOT NULL,
    label        TEXT NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('draf', 'pemeriksaan', 'persetujuan', 'disetujui')),
    summary      TEXT NOT NULL,
    xlsx_path    TEXT NOT NULL,
    png_path     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    window_end   TEXT NOT NULL,
    submitted_by INTEGER,
    submitted_at TEXT,
    checked_by   INTEGER,
    checked_at   TEXT,
    approved_by  INTEGER,
    approved_at  TEXT,
    UNIQUE (office_id, kind, period)
);
CREATE INDEX report_signoffs_open ON report_signoffs (stage, window_end);
