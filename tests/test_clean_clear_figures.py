"""The complaint report's "clean and clear" figures against a count made here from the raw
events (issue 20): every complaint filed and every follow-up typed, in time order.

The history goes through the bot's own complaint rules (filing, a message handled twice,
follow-ups by the compliance section, the head of office and a satker operator). The
expected figures are counted in plain Python from the generated events and the office's
rules as a person would apply them (seed 000, row 3.b: received in the period, and of
those how many are done / in process / not yet followed up), never through the report's
queries. They are compared with what the bot shows: the recap, the /rekap text, the
workbook's sheet, the dashboard (office-wide and filtered by satker) and the handlers'
listing.
"""

from __future__ import annotations

import asyncio
import random
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.common import WIB, services
from bot import complaints, dashboard, periods, report_files, reports
from bot.services import Services
from messages import dashboard as dashboard_msg
from messages import rekap as rekap_msg
from storage import groups, people
from tests.profiles import at_least

RINA, KEPALA, ADMIN = 800, 700, 100  # compliance section, head of office, admin
BUDI, ANI, TONO = 300, 301, 302  # operators of 123456 and 654321; a member without satker
GROUP, GROUP2 = -1001, -1002
SATKER = {BUDI: ("123456", GROUP), ANI: ("654321", GROUP2)}
START = datetime(2026, 10, 1, 0, 0, tzinfo=WIB)
NOW = datetime(2027, 1, 4, 10, 0, tzinfo=WIB)  # the report is made after the quarter

GENERAL_TEXTS = [
    "Antrean loket terlalu lama, sudah dua jam belum dipanggil",
    "Petugas tidak ramah saat kami konsultasi",
    "Berkas SPM kami hilang di front office",
]
INTEGRITY_TEXTS = [
    "Ada pungli di loket, diminta uang pelicin agar SP2D cepat",
    "Petugas menerima gratifikasi dari rekanan",
]
# How a handler starts a follow-up, and what the office means by it.
DONE_BODIES = [
    "selesai petugas telah diberi pembinaan",
    "Selesai. Berkas sudah ditemukan dan diserahkan",
    "SELESAI: antrean sudah diatur ulang",
    "selesai",
]
PROGRESS_BODIES = [
    "proses sedang kami klarifikasi",
    "Sedang kami cek ke seksi terkait",
    "Terima kasih, kami tindak lanjuti minggu ini",
]


@dataclass(frozen=True)
class FollowUpEvent:
    after: timedelta  # after the complaint was filed
    actor: int
    body: str

    @property
    def means_done(self) -> bool:
        return self.body.lower().startswith("selesai")


@dataclass(frozen=True)
class ComplaintEvent:
    at: datetime
    complainant: int
    in_group: bool
    integrity: bool
    handled_twice: bool  # the same message handed in again (a crash before the offset)
    followups: list[FollowUpEvent] = field(default_factory=list)

    @property
    def kode(self) -> str | None:
        return SATKER[self.complainant][0] if self.complainant in SATKER else None


# ---- the independent count ------------------------------------------------------------
def status_now(c: ComplaintEvent) -> str:
    """Where a complaint stands at NOW, by the office's rules: the compliance section and
    the admin follow up any complaint, the head of office a general one only, an operator
    none; a follow-up says done or in process; nothing changes a complaint once done."""
    status = "belum"
    for fu in sorted(c.followups, key=lambda f: f.after):
        if c.at + fu.after > NOW or status == "selesai":
            continue
        if fu.actor in (RINA, ADMIN) or (fu.actor == KEPALA and not c.integrity):
            status = "selesai" if fu.means_done else "proses"
    return status


def expected(
    history: list[ComplaintEvent], first: date, end: date, kode: str | None = None
) -> tuple[int, int, int, int]:
    """(received, done, in process, not followed up) for complaints filed on office days
    first..end-1 (office time), optionally of one satker."""
    mine = [
        c
        for c in history
        if first <= c.at.astimezone(WIB).date() < end and (kode is None or c.kode == kode)
    ]
    states = [status_now(c) for c in mine]
    return len(mine), states.count("selesai"), states.count("proses"), states.count("belum")


# ---- the history ------------------------------------------------------------------------
# Times near the month boundaries (late evening on the last day, just after midnight) are
# drawn often: a complaint at 23.30 WIB on 31 October is stored as 16.30 UTC.
_BOUNDARY = [
    datetime(2026, 10, 31, 23, 30, tzinfo=WIB),
    datetime(2026, 11, 1, 0, 15, tzinfo=WIB),
    datetime(2026, 11, 30, 23, 59, tzinfo=WIB),
    datetime(2026, 12, 1, 6, 59, tzinfo=WIB),
    datetime(2026, 12, 31, 23, 0, tzinfo=WIB),
    datetime(2026, 10, 1, 0, 1, tzinfo=WIB),
]
moments = st.one_of(
    st.sampled_from(_BOUNDARY),
    st.integers(0, 92 * 24 * 60 - 1).map(lambda m: START + timedelta(minutes=m)),
)
followup_events = st.builds(
    FollowUpEvent,
    st.integers(10, 60 * 24 * 40).map(lambda m: timedelta(minutes=m)),
    st.sampled_from([RINA, RINA, KEPALA, ADMIN, BUDI]),
    st.sampled_from(DONE_BODIES + PROGRESS_BODIES),
)
complaint_events = st.builds(
    ComplaintEvent,
    moments,
    st.sampled_from([BUDI, ANI, TONO]),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.lists(followup_events, max_size=3),
)
histories = st.lists(complaint_events, min_size=1, max_size=10)


async def office(folder: Path) -> Services:
    svc = await services(folder / "c.sqlite3", START)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        for chat, title, kode, name in (
            (GROUP, "LO Kemenag", "123456", "MTsN 1"),
            (GROUP2, "LO Kemenkes", "654321", "RSUD Kotabumi"),
        ):
            await groups.upsert_joined(tx, chat, title, now)
            await groups.register(tx, chat, 200, title, now)
            await groups.add_satker(tx, chat, kode, name)
        for uid, name, role in (
            (RINA, "Rina", "kepatuhan"),
            (KEPALA, "Kartika", "kepala"),
            (ADMIN, "Admin", "admin"),
        ):
            await people.upsert_user(tx, uid, None, name, now)
            await people.grant(tx, 1, uid, role, 1, now)
        for uid, name in ((BUDI, "Budi"), (ANI, "Ani"), (TONO, "Tono")):
            await people.upsert_user(tx, uid, None, name, now)
        for uid, (kode, chat) in SATKER.items():
            await groups.register_operator(tx, uid, chat, kode, now)
    return svc


async def play(svc: Services, history: list[ComplaintEvent]) -> None:
    """Every event through the bot's rules, in time order (the clock follows)."""
    names = {BUDI: "Budi", ANI: "Ani", TONO: "Tono", RINA: "Rina", KEPALA: "Kartika"}
    names[ADMIN] = "Admin"
    steps: list[tuple[datetime, int, int, object]] = []
    for i, c in enumerate(history):
        steps.append((c.at, i, 0, c))
        steps += [(c.at + fu.after, i, j + 1, fu) for j, fu in enumerate(c.followups)]
    numbers: dict[int, str] = {}
    for when, i, _, event in sorted(steps, key=lambda s: (s[0], s[1], s[2])):
        if when > NOW:
            continue
        svc.clock.set(when)
        if isinstance(event, ComplaintEvent):
            who = people.User(event.complainant, None, names[event.complainant])
            texts = INTEGRITY_TEXTS if event.integrity else GENERAL_TEXTS
            text = texts[i % len(texts)]
            chat = SATKER[event.complainant][1] if event.in_group and event.kode else None
            for _ in range(2 if event.handled_twice else 1):
                filed = await complaints.file(svc, who, text, message_id=1000 + i, chat_id=chat)
                assert isinstance(filed, complaints.Filed)
            numbers[i] = filed.complaint.number
        else:
            assert isinstance(event, FollowUpEvent)
            actor = people.User(event.actor, None, names[event.actor])
            await complaints.follow_up(svc, actor, numbers[i], event.body)
    svc.clock.set(NOW)


def figures(cc: object) -> tuple[int, int, int, int]:
    assert cc is not None
    return (cc.received, cc.done, cc.in_progress, cc.not_followed_up)  # type: ignore[attr-defined]


_LINE = re.compile(
    r"Pengaduan \(clean and clear\): diterima (\d+), selesai (\d+), dalam proses (\d+), "
    r"belum ditindaklanjuti (\d+)"
)


async def recap(svc: Services, period: periods.Period) -> reports.Recap:
    scope = await reports.scope_for(svc, KEPALA, period)
    assert scope is not None
    return await reports.build(svc, scope, period)


async def dashboard_cards(svc: Services, period_text: str, kode: str | None) -> tuple[int, ...]:
    view = await dashboard.complaints(svc, RINA, dashboard.Filters(period_text, None, kode))
    assert view is not None
    html = dashboard_msg.complaints(view, WIB)
    cards = re.findall(r'<div class="v">([\d.]+)</div><div class="k">([^<]+)</div>', html)
    got = {label: int(value.replace(".", "")) for value, label in cards}
    return tuple(got[k] for k in ("diterima", "selesai", "dalam proses", "belum ditindaklanjuti"))


async def check(history: list[ComplaintEvent], folder: Path) -> None:
    svc = await office(folder)
    try:
        await play(svc, history)
        for period in (
            periods.month(2026, 10),
            periods.month(2026, 11),
            periods.month(2026, 12),
            periods.quarter(2026, 4),
        ):
            want = expected(history, period.start, period.end)
            r = await recap(svc, period)
            assert figures(r.complaints) == want, period.label
            line = _LINE.search(rekap_msg.summary(r, WIB))
            assert line is not None and tuple(map(int, line.groups())) == want
        # The dashboard's cards, for the office and narrowed to one satker.
        q4 = "2026-Q4"
        quarter = periods.quarter(2026, 4)
        assert await dashboard_cards(svc, q4, None) == expected(history, quarter.start, quarter.end)
        for kode in ("123456", "654321"):
            assert await dashboard_cards(svc, q4, kode) == expected(
                history, quarter.start, quarter.end, kode
            ), kode
        # The handlers' listing counts every complaint ever filed by where it stands.
        listing = await complaints.listing(svc, RINA, "semua")
        assert isinstance(listing, complaints.Listing)
        states = [status_now(c) for c in history]
        assert listing.counts.get("selesai", 0) == states.count("selesai")
        assert listing.counts.get("dalam_proses", 0) == states.count("proses")
        assert listing.counts.get("diterima", 0) == states.count("belum")
    finally:
        await svc.db.close()


@settings(max_examples=at_least(25), deadline=None)
@given(histories)
def test_clean_and_clear_matches_a_count_from_the_events(history: list[ComplaintEvent]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(check(history, Path(folder)))


def realistic_quarter(seed: int = 20, n: int = 60) -> list[ComplaintEvent]:
    """A quarter's complaints as an office might see them: mostly on working days, most
    followed up within days, some left waiting, an integrity complaint now and then."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        day = START + timedelta(days=rng.randrange(92))
        at = day.replace(
            hour=rng.choice([8, 9, 10, 11, 13, 14, 15, 19, 22]), minute=rng.randrange(60)
        )
        fus = []
        if rng.random() < 0.8:
            fus.append(
                FollowUpEvent(
                    timedelta(hours=rng.randrange(1, 72)), RINA, rng.choice(PROGRESS_BODIES)
                )
            )
            if rng.random() < 0.6:
                fus.append(
                    FollowUpEvent(
                        timedelta(days=rng.randrange(3, 20)), RINA, rng.choice(DONE_BODIES)
                    )
                )
        who = rng.choice([BUDI, BUDI, ANI, TONO])
        out.append(
            ComplaintEvent(
                at, who, rng.random() < 0.7, rng.random() < 0.1, rng.random() < 0.05, fus
            )
        )
    return out


async def test_workbook_sheet_shows_the_independent_count(tmp_path: Path) -> None:
    history = realistic_quarter()
    svc = await office(tmp_path)
    try:
        await play(svc, history)
        quarter = periods.quarter(2026, 4)
        r = await recap(svc, quarter)
        parts, _ = await report_files.write_files(svc, r, tmp_path)
        book = openpyxl.load_workbook(parts[0].path, read_only=True)
        sheet = list(book["Pengaduan"].iter_rows(values_only=True))
        book.close()
        rows = {name: n for name, n, *_ in sheet[1:5]}
        want = expected(history, quarter.start, quarter.end)
        assert (
            rows["Diterima"],
            rows["Selesai"],
            rows["Dalam proses"],
            rows["Belum ditindaklanjuti"],
        ) == want
        assert want[0] == 60 and all(want[1:])  # the history exercises every status
        # The statuses are those of the moment the workbook was made, and it says so.
        notes = [row[0] for row in sheet[5:] if row and row[0]]
        assert "Pengaduan yang diterima pada periode: Triwulan IV 2026" in notes
        assert "Status per Senin, 4 Januari 2027 pukul 10.00 WIB" in notes
    finally:
        await svc.db.close()
