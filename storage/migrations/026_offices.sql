-- Offices as tenants (issue 23). Migration 001 already gave groups, roles, tickets,
-- complaints, calendar overrides, deadlines, broadcasts and the reports an office_id (1);
-- satker and operators belong to an office through their group, deadline occurrences
-- through their deadline. What was missing is what differs between offices: the working
-- hours (the time zone and type were there), and who supervises which offices (the
-- Kanwil). Office 1 keeps its row; the bot writes its name, type, zone and hours from the
-- settings at every start (bot/offices.py), so a single-office database changes nothing.
ALTER TABLE offices ADD COLUMN work_start TEXT NOT NULL DEFAULT '08:00';
ALTER TABLE offices ADD COLUMN work_end TEXT NOT NULL DEFAULT '16:00';

-- A Kanwil supervisor sees these offices side by side (/rekap kanwil). Written from
-- LOBOT_OFFICES_FILE at every start (the file is the truth).
CREATE TABLE kanwil_offices (
    user_id   INTEGER NOT NULL,
    office_id INTEGER NOT NULL REFERENCES offices (id),
    kanwil    TEXT NOT NULL,
    PRIMARY KEY (user_id, office_id)
);

-- The tick asks each office for its groups and its tickets that fell due.
CREATE INDEX groups_office ON groups (office_id, status);
CREATE INDEX tickets_office_next_due ON tickets (office_id, next_due_at)
    WHERE next_due_at IS NOT NULL;
