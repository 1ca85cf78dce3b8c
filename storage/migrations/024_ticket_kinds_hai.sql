-- The rollup's channel/CSO tables (migration 023) also key on each ticket's HAI CSO state
-- and who set it (hai_entries, migration 022), so /rekap's "tercatat di HAI CSO" and the
-- IKU estimate on entered tickets read the rollup instead of every ticket of the period
-- (a year of a million tickets: 3.3-6.8 s). The tables are made again; the zone rows go,
-- so bot.reports.prepare_rollup counts every table again from the tickets at start.
DROP TABLE ticket_day_kinds;
DROP TABLE ticket_month_kinds;

CREATE TABLE ticket_day_kinds (
    office_id   INTEGER NOT NULL,
    day         TEXT NOT NULL,
    lo_user_id  INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    recorded_by INTEGER NOT NULL,
    answered_by INTEGER NOT NULL,
    hai_state   TEXT NOT NULL,  -- 'belum' also for a ticket without a hai_entries row
    hai_by      INTEGER NOT NULL,
    received    INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    on_time     INTEGER NOT NULL,
    open_n      INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, lo_user_id, channel, recorded_by, answered_by, hai_state, hai_by)
);

CREATE TABLE ticket_month_kinds (
    office_id   INTEGER NOT NULL,
    day         TEXT NOT NULL,
    lo_user_id  INTEGER NOT NULL,
    channel     TEXT NOT NULL,
    recorded_by INTEGER NOT NULL,
    answered_by INTEGER NOT NULL,
    hai_state   TEXT NOT NULL,
    hai_by      INTEGER NOT NULL,
    received    INTEGER NOT NULL,
    answered    INTEGER NOT NULL,
    on_time     INTEGER NOT NULL,
    open_n      INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, lo_user_id, channel, recorded_by, answered_by, hai_state, hai_by)
);

DELETE FROM ticket_days_zone;
