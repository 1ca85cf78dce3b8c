"""Migration 026 on a single-office database made by the lobot before it: in place, office
1 takes the settings, nothing else changes (issue 23)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import offices
from bot.clock import FakeClock
from bot.services import Services, make_calendar
from config.settings import Settings
from storage import groups, people
from storage import offices as offices_repo
from storage.db import Database, load_migrations

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=WITA)


def _old_database(path: Path) -> None:
    """A database at schema 025 (before offices) with a group, an LO and a ticket."""
    with sqlite3.connect(path) as conn:
        for number, _, sql in load_migrations()[:25]:
            conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
        conn.executescript(
            """
            INSERT INTO users (user_id, username, full_name, updated_at)
              VALUES (200, 'sari', 'Sari', '2026-11-01T00:00:00+00:00');
            INSERT INTO roles (office_id, user_id, role, granted_at)
              VALUES (1, 200, 'lo', '2026-11-01T00:00:00+00:00');
            INSERT INTO groups (chat_id, title, status, lo_user_id, created_at)
              VALUES (-1001, 'LO Kemenag', 'active', 200, '2026-11-01T00:00:00+00:00');
            INSERT INTO tickets (number, chat_id, channel, text, status, created_at,
                clock_start_at, due_at, first_due_at)
              VALUES ('2026-0001', -1001, 'grup', 'SPM kami?', 'baru',
                '2026-11-20T02:00:00+00:00', '2026-11-20T02:00:00+00:00',
                '2026-11-24T02:00:00+00:00', '2026-11-24T02:00:00+00:00');
            """
        )


@pytest.mark.sqlite_only
async def test_a_single_office_database_migrates_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _old_database(path)
    settings = replace(
        Settings(token="1:x", database=path),
        office_name="KPPN Makassar II",
        office_type="A2",
        timezone="Asia/Makassar",
        work_start=time(7, 30),
        work_end=time(15, 30),
    )
    db = Database(path)
    await db.open()
    try:
        assert await db.version() == len(load_migrations())
        svc = Services(settings, db, FakeClock(NOW), make_calendar(settings))
        await offices.set_up(svc)
        stored = await offices_repo.all_offices(db.reader)
        assert [
            (o.id, o.name, o.office_type, o.timezone, o.work_start, o.work_end) for o in stored
        ] == [(1, "KPPN Makassar II", "A2", "Asia/Makassar", time(7, 30), time(15, 30))]
        assert svc.each_office() == [svc] and svc.office.name == "KPPN Makassar II"
        group = await groups.get(db.reader, -1001)
        assert group is not None and group.office_id == 1 and group.lo_user_id == 200
        assert await people.roles_of(db.reader, 1, 200) == {"lo"}
        assert await offices.of_chat(svc, -1001, False, 300) == 1
        rows = await db.reader.execute_fetchall("SELECT office_id, number FROM tickets")
        assert [tuple(r) for r in rows] == [(1, "2026-0001")]
    finally:
        await db.close()
