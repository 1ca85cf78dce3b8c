-- The daily rollup of tickets (storage/rollup.py): what /rekap, its chart and the
-- dashboard count, per office, local day (in the zone of ticket_days_zone) and the keys
-- the reports group by, so a period's cost follows its days, not the office's history.
-- Two tables, because one key over every grouping column holds about one row per ticket:
-- ticket_days for the lines (LO, group, satker) and ticket_day_kinds for the channel and
-- the CSO's share. Kept in the transaction of every ticket change (storage/tickets.py);
-- built from the tickets by storage.rollup.ensure when its zone row is missing or names
-- another zone than the office's setting (so this migration leaves them empty).
-- "None" is 0 (no LO, group or user) or '' (no kode satker): a primary key's columns are
-- never NULL.
CREATE TABLE ticket_days (
    office_id   INTEGER NOT NULL,
    day         TEXT NOT NULL,
    lo_user_id  INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    kode_satker TEXT NOT NULL,
    received    INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    on_time     INTEGER NOT NULL,
    open_n      INTEGER NOT NULL,
    waited_centi INTEGER NOT NULL,
    rating_sum  INTEGER NOT NULL,
    rating_n    INTEGER NOT NULL,
    w0          INTEGER NOT NULL,
    w1          INTEGER NOT NULL,
    w2          INTEGER NOT NULL,
    w3          INTEGER NOT NULL,
    w4          INTEGER NOT NULL,
    w5          INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, lo_user_id, chat_id, kode_satker)
);

CREATE TABLE ticket_day_kinds (
    office_id   INTEGER NOT NULL,
    day         TEXT NOT NULL,
    lo_user_id  INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    recorded_by INTEGER NOT NULL,
    answered_by INTEGER NOT NULL,
    received    INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    on_time     INTEGER NOT NULL,
    open_n      INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, lo_user_id, channel, recorded_by, answered_by)
);

-- The same per month (day: the month's first day), so a long period reads its whole
-- months here and only its first and last partial months day by day: a year of a
-- million tickets is about 10,000 rows here against 290,000 in the daily tables.
CREATE TABLE ticket_months (
    office_id   INTEGER NOT NULL,
    day         TEXT NOT NULL,
    lo_user_id  INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,
    kode_satker TEXT NOT NULL,
    received    INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    on_time     INTEGER NOT NULL,
    open_n      INTEGER NOT NULL,
    waited_centi INTEGER NOT NULL,
    rating_sum  INTEGER NOT NULL,
    rating_n    INTEGER NOT NULL,
    w0          INTEGER NOT NULL,
    w1          INTEGER NOT NULL,
    w2          INTEGER NOT NULL,
    w3          INTEGER NOT NULL,
    w4          INTEGER NOT NULL,
    w5          INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, lo_user_id, chat_id, kode_satker)
);

CREATE TABLE ticket_month_kinds (
    office_id   INTEGER NOT NULL,
    day         TEXT NOT NULL,
    lo_user_id  INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    recorded_by INTEGER NOT NULL,
    answered_by INTEGER NOT NULL,
    received    INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    on_time     INTEGER NOT NULL,
    open_n      INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, lo_user_id, channel, recorded_by, answered_by)
);

-- The zone the days above are counted in, per office; no row: not built yet.
CREATE TABLE ticket_days_zone (
    office_id INTEGER PRIMARY KEY,
    timezone  TEXT NOT NULL
);

-- Percentiles of the answer time: the rollup's buckets say which bucket holds the wanted
-- rank, and this index finds the value inside it, for the office, an LO or a satker
-- (lo_user_id and kode_satker were missing: every entry of an LO's scope read the table).
DROP INDEX tickets_waited;
CREATE INDEX tickets_waited ON tickets (
    office_id, waited_hours, created_at, status, lo_user_id, kode_satker
);
-- One satker's tickets (the dashboard's satker filter reads the tickets, not the rollup).
CREATE INDEX tickets_satker ON tickets (office_id, kode_satker, created_at);
