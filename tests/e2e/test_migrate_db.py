"""`lobot migrate-db`: an office run on SQLite, copied into PostgreSQL, carries on there."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.clock import FakeClock
from storage import tickets as repo
from tests.conftest import postgres_only
from tests.e2e import harness as harness_module
from tests.e2e.harness import Harness, make_settings
from tests.e2e.test_tickets import ask
from tests.e2e.world import GROUP, LO, OPERATOR, staffed_office
from tests.fakeapi.server import FakeBotAPI

pytestmark = postgres_only


async def _counts(h: Harness) -> dict[str, int]:
    out = {}
    for table in ("users", "roles", "groups", "group_satker", "tickets", "ticket_events", "outbox"):
        row = await h.services.db.fetchone(f"SELECT count(*) FROM {table}")
        assert row is not None
        out[table] = int(row[0])
    return out


async def test_an_sqlite_office_continues_on_postgresql(
    api: FakeBotAPI, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "data" / "bot.sqlite3"
    h = Harness(api, clock, make_settings(api, source, database_url=None))
    await h.start()
    try:
        await staffed_office(h)
        await ask(h, "min, surat permohonan kami nomor 45 sudah diterima belum ya?")
        await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
        h.api.say(LO, LO, "/jawab 2026-0001 sudah kami terima, Pak")
        await h.api.wait_sent(GROUP, "Jawaban atas tiket #2026-0001")
        await h.settle()
        before = await _counts(h)
    finally:
        await h.stop()
    assert before["tickets"] == 2 and before["outbox"] > 0

    url = harness_module.postgres()
    assert url is not None
    assert main(["migrate-db", str(source), url]) == 0
    out = capsys.readouterr().out
    assert f"tickets: {before['tickets']} rows" in out and "counts verified" in out
    # A second copy into the same database is refused: it holds an office now.
    assert main(["migrate-db", str(source), url]) == 1
    assert "already holds data" in capsys.readouterr().err

    h = Harness(api, clock, make_settings(api, tmp_path / "pg" / "unused", database_url=url))
    await h.start()
    try:
        assert await _counts(h) == before
        answered = await repo.get_by_number(h.services.db.reader, 1, "2026-0001")
        assert answered is not None and answered.status == repo.ANSWERED
        # Numbering continues, and nothing already sent is sent again.
        sent_before = len(api.sent_to(GROUP))
        await ask(h, "bu, SP2D untuk SPM nomor 00123 kami kapan terbitnya ya?")
        third = await repo.get_by_number(h.services.db.reader, 1, "2026-0003")
        assert third is not None and third.asker_id == OPERATOR
        await h.tick()
        assert len(api.sent_to(GROUP)) == sent_before + 1  # the new ticket's notice only
    finally:
        await h.stop()


async def test_an_older_or_missing_source_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = harness_module.postgres()
    assert url is not None
    assert main(["migrate-db", str(tmp_path / "none.sqlite3"), url]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["migrate-db", str(tmp_path / "x.sqlite3"), "mysql://x"]) == 1
