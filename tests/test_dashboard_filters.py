"""The dashboard's satker filter narrows every count of the view, complaints included
(issue 21: the complaint counts stayed the office's whatever satker was picked)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bench.common import WIB, services
from bot import dashboard
from bot.services import Services
from storage import complaints as complaints_repo
from storage import people
from storage.models import COMPLAINT_DONE

KEPALA = 300
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=WIB)


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Services]:
    """Three complaints this month: two about satker 111111 (one done), one about 222222,
    all received ten days ago (past their follow-up time unless done)."""
    svc = await services(tmp_path / "d.sqlite3", NOW)
    at = NOW - timedelta(days=10)
    async with svc.db.transaction() as tx:
        await people.upsert_user(tx, KEPALA, None, "Budi", at)
        await people.grant(tx, 1, KEPALA, "kepala", 1, at)
        made = []
        for i, kode in enumerate(("111111", "111111", "222222")):
            made.append(
                await complaints_repo.insert(
                    tx,
                    office_id=1,
                    number=f"P-2026-{i + 1:04d}",
                    chat_id=None,
                    message_id=None,
                    complainant_id=900 + i,
                    complainant_name="Pelapor",
                    kode_satker=kode,
                    channel="pribadi",
                    category="umum",
                    text="Layanan lambat",
                    now=at,
                )
            )
        await complaints_repo.add_followup(
            tx, made[0], KEPALA, "Budi", "Sudah ditangani", COMPLAINT_DONE, at
        )
    yield svc
    await svc.db.close()


async def test_satker_filter_narrows_the_complaint_counts(office: Services) -> None:
    everyone = await dashboard.complaints(office, KEPALA, dashboard.Filters())
    assert everyone is not None and everyone.recap.complaints is not None
    assert (everyone.recap.complaints.received, everyone.recap.complaints.done) == (3, 1)
    assert len(everyone.overdue) == 2

    one = await dashboard.complaints(office, KEPALA, dashboard.Filters(kode_satker="111111"))
    assert one is not None and one.recap.complaints is not None
    c = one.recap.complaints
    assert (c.received, c.done, c.not_followed_up) == (2, 1, 1)
    assert [x.kode_satker for x, _ in one.overdue] == ["111111"]

    other = await dashboard.complaints(
        office, KEPALA, replace(dashboard.Filters(), kode_satker="222222")
    )
    assert other is not None and other.recap.complaints is not None
    assert (other.recap.complaints.received, other.recap.complaints.done) == (1, 0)
    assert [x.kode_satker for x, _ in other.overdue] == ["222222"]
