"""docs/CONTENT_REVIEW.md lists the FAQ statements that do not come from the project's
source documents (issue 20); each listed entry is served as not yet reviewed until a
reviewer approves it in the bot."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bench.common import WIB, services
from bot import faq, faq_review
from bot.services import Services
from messages import faq as faq_msg
from storage import people

REVIEW_LIST = Path(__file__).resolve().parent.parent / "docs" / "CONTENT_REVIEW.md"
PENINJAU = 900

# References the source documents themselves give (S-4384/PB/2018, S-1691/PB.8/2018 with
# PER-50/PB/2016, the KPPN's service-standard page with KEP-53/PB/2023 and KEP-222/PB/2012,
# and HAI DJPb's e-mail address). Anything else an entry cites came from its writer.
FROM_SOURCES = {
    "S-4384/PB/2018",
    "S-1691/PB.8/2018",
    "PER-50/PB/2016",
    "KEP-53/PB/2023",
    "KEP-222/PB/2012",
    "hai.djpb@kemenkeu.go.id",
}
_REFERENCE = re.compile(
    r"\b(?:PMK|PP|Perpres|UU)\s+\d+[^\s;,.)]*(?:\s+Tahun\s+\d{4})?"
    r"|\b(?:PER|KEP|S)-\d+/[A-Z0-9./]+\d{4}"
    r"|\b[\w.-]+@[\w.-]+\.\w+|\b(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:go\.id|com|id)\b"
)


def listed_ids() -> list[str]:
    return re.findall(r"^### `([a-z0-9-]+)`", REVIEW_LIST.read_text(encoding="utf-8"), re.M)


def entries() -> list[faq.Entry]:
    return faq.load_dir(faq.default_content_dir())


def outside_references(entry: faq.Entry) -> set[str]:
    data = entry.as_data()
    text = " ".join([*data["aspects"].values(), data["dasar_hukum"] or "", data["catatan"] or ""])
    return {m.group(0) for m in _REFERENCE.finditer(text)} - FROM_SOURCES


def test_the_review_list_names_real_entries_once() -> None:
    ids = listed_ids()
    assert len(ids) == len(set(ids))
    assert set(ids) <= {e.id for e in entries()}


def test_every_entry_citing_beyond_the_sources_is_listed() -> None:
    """A regulation, standard or address that is not in the source documents is a fact
    from its writer: the reviewer must find its entry in the list."""
    listed = set(listed_ids())
    missing = {
        e.id: sorted(refs)
        for e in entries()
        if (refs := outside_references(e)) and e.id not in listed
    }
    assert missing == {}
    assert outside_references(next(e for e in entries() if e.id == "ganti-up")) == {
        "PMK 62 Tahun 2023"
    }


@pytest.fixture
async def svc(tmp_path: Path) -> AsyncIterator[Services]:
    s = await services(tmp_path / "r.sqlite3", datetime(2026, 12, 7, 9, tzinfo=WIB))
    async with s.db.transaction() as tx:
        await people.upsert_user(tx, PENINJAU, None, "Hendra", s.clock.now())
        await people.grant(tx, 1, PENINJAU, "peninjau", 1, s.clock.now())
    await faq.reload(s)
    yield s
    await s.db.close()


def served(svc: Services, entry_id: str) -> list[str]:
    entry = svc.faq.entries[entry_id]
    return [faq_msg.entry_text(entry, aspect) for aspect in entry.aspects]


async def test_listed_entries_say_they_are_unreviewed_until_approved(svc: Services) -> None:
    ids = listed_ids()
    assert ids
    for eid in ids:
        assert all(faq_msg.NOT_REVIEWED in text for text in served(svc, eid)), eid
    # Answering only reviewed entries serves none of them.
    strict = replace(svc, settings=replace(svc.settings, faq_only_reviewed=True))
    assert not any(faq_review.servable(strict, svc.faq.entries[eid]) for eid in ids)
    # An approval lifts the line for that entry only.
    outcome, _ = await faq_review.decide(svc, PENINJAU, "ganti-up", approve=True)
    assert outcome is faq_review.Outcome.DONE
    assert not any(faq_msg.NOT_REVIEWED in t for t in served(svc, "ganti-up"))
    assert all("Ditinjau oleh Hendra" in t for t in served(svc, "ganti-up"))
    others = [eid for eid in ids if eid != "ganti-up"]
    assert all(faq_msg.NOT_REVIEWED in t for eid in others for t in served(svc, eid))
