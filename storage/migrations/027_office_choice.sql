-- A person who may act for several offices (roles in two offices, a Kanwil supervisor who
-- is also an office's admin, the deployment's admins of LOBOT_ADMIN_IDS) chooses with
-- /kantor which office their private chat acts for (bot/offices.py).
CREATE TABLE office_choice (
    user_id   INTEGER PRIMARY KEY,
    office_id INTEGER NOT NULL REFERENCES offices (id),
    chosen_at TEXT NOT NULL
);
