"""The dashboard over HTTP on a running bot: launch data, roles, scopes, /rekap's figures."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.clock import FakeClock
from tests.e2e.harness import TOKEN, Harness, make_settings
from tests.e2e.test_complaints import KEPATUHAN, compliance_office
from tests.e2e.test_tickets import ask
from tests.e2e.world import (
    CSO,
    GROUP,
    KEPALA,
    LO,
    LO2,
    OPERATOR,
    OTHER_GROUP,
    SUPERVISOR,
    staffed_office,
)
from tests.fakeapi.server import FakeBotAPI
from tests.initdata import init_data

OTHER_TOKEN = "654321:another-bots-token-000000000000000"


def dashboard_harness(api: FakeBotAPI, clock: FakeClock, tmp_path: Path) -> Harness:
    """A bot with the dashboard on a port of the system's choosing."""
    settings = make_settings(
        api, tmp_path / "bot.sqlite3", web_port=0, web_url="https://dasbor.example/"
    )
    return Harness(api, clock, settings)


@pytest.fixture
async def dash(api: FakeBotAPI, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    h = dashboard_harness(api, clock, tmp_path)
    await h.start()
    yield h
    await h.stop()


def base(h: Harness) -> str:
    assert h.app is not None and h.app.bot_data.web_server is not None
    return f"http://127.0.0.1:{h.app.bot_data.web_server.ports['web']}"


async def call(
    h: Harness,
    user: int | None,
    path: str,
    *,
    method: str = "GET",
    token: str = TOKEN,
    age: timedelta = timedelta(minutes=1),
    body: dict[str, Any] | None = None,
) -> tuple[int, dict[str, Any]]:
    headers = {}
    if user is not None:
        headers["Authorization"] = "tma " + init_data(token, user, h.clock.now() - age)
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, base(h) + path, headers=headers, json=body) as r,
    ):
        return r.status, await r.json()


async def view(h: Harness, user: int, name: str, query: str = "") -> str:
    status, data = await call(h, user, f"/api/view/{name}{query}")
    assert status == 200, data
    return str(data["html"])


async def late_ticket_office(h: Harness) -> None:
    """Sari's group has a question left three days unanswered (late, escalated); Dewi's
    group has one of its own, answered."""
    await staffed_office(h)
    h.api.add_bot(OTHER_GROUP, LO2)
    await h.api.wait_sent(OTHER_GROUP, "menunggu pendaftaran")
    await h.say(OTHER_GROUP, LO2, "/daftargrup Kementerian Kesehatan")
    await h.say(OTHER_GROUP, LO2, "/satker 654321 RSUD Rahasia Kesehatan")
    await ask(h, "min, surat permohonan kami nomor 45 sudah diterima belum ya?")
    mark = len(h.api.sent)
    h.api.say(
        OTHER_GROUP, OPERATOR, "bu, berkas yang kami titipkan ke petugas kemarin sudah sampai?"
    )
    await h.api.wait_sent(OTHER_GROUP, "tiket", after=mark)
    await h.settle()
    await h.act(LO2, LO2, "/jawab 2026-0002 Sudah kami teruskan ke Kanwil, Bu.")
    h.clock.advance(timedelta(days=3))
    for _ in range(3):  # reminders, the alert at the deadline, the escalation
        await h.tick()


async def test_the_supervisor_sees_the_late_ticket_and_whose_it_is(dash: Harness) -> None:
    h = dash
    await late_ticket_office(h)
    status, me = await call(h, SUPERVISOR, "/api/me", method="POST")
    assert status == 200
    assert [v["id"] for v in me["views"]][:3] == ["tiket", "kinerja", "iku"]
    html = await view(h, SUPERVISOR, "tiket")
    assert "2026-0001" in html and "Sari Lestari" in html
    assert "terlambat" in html and "dieskalasi" in html
    assert "2026-0002" not in html  # answered: not open


async def test_an_operator_gets_a_polite_refusal_and_no_data(dash: Harness) -> None:
    h = dash
    await late_ticket_office(h)
    for path, method in (("/api/me", "POST"), ("/api/view/tiket", "GET")):
        status, data = await call(h, OPERATOR, path, method=method)
        assert status == 403
        assert list(data) == ["error"] and "Mohon maaf" in data["error"]
        assert "2026-" not in data["error"]


@pytest.mark.parametrize(
    "how",
    ["no header", "other bot", "expired", "tampered"],
)
async def test_forged_or_stale_launch_data_gets_401(dash: Harness, how: str) -> None:
    h = dash
    await late_ticket_office(h)
    if how == "no header":
        status, data = await call(h, None, "/api/view/tiket")
    elif how == "other bot":
        status, data = await call(h, SUPERVISOR, "/api/view/tiket", token=OTHER_TOKEN)
    elif how == "expired":
        status, data = await call(h, SUPERVISOR, "/api/view/tiket", age=timedelta(hours=2))
    else:
        raw = init_data(TOKEN, OPERATOR, h.clock.now()).replace(
            f"%22id%22%3A{OPERATOR}", f"%22id%22%3A{SUPERVISOR}"
        )
        async with (
            aiohttp.ClientSession() as http,
            http.get(base(h) + "/api/view/tiket", headers={"Authorization": "tma " + raw}) as r,
        ):
            status, data = r.status, await r.json()
    assert status == 401 and list(data) == ["error"]
    assert "2026-" not in data["error"]


async def test_an_lo_sees_only_their_own_groups(dash: Harness) -> None:
    h = dash
    await late_ticket_office(h)
    status, me = await call(h, LO, "/api/me", method="POST")
    assert status == 200 and me["los"] == []
    assert [s[0] for s in me["satker"]] == ["123456"]
    for name in ("tiket", "kinerja"):
        html = await view(h, LO, name)
        assert "Kemenkes" not in html and "654321" not in html and "2026-0002" not in html
        assert "Dewi" not in html
    # Asking for another LO's tickets does not widen the scope.
    html = await view(h, LO, "tiket", f"?lo={LO2}")
    assert "2026-0001" in html and "2026-0002" not in html
    status, _ = await call(h, LO, "/api/view/iku")
    assert status == 403  # office figures are not an LO's


async def rekap_text(h: Harness, user: int, command: str) -> str:
    mark = len(h.api.sent)
    h.api.say(user, user, command)
    summary = await h.api.wait_sent(user, "Rekap layanan", after=mark)
    await h.settle()  # the workbook and the chart follow
    return summary.plain


def _figures_of_rekap(text: str) -> dict[str, str]:
    found = {
        "received": re.search(r"Diterima: (\S+)", text),
        "answered": re.search(r"Dijawab: (\S+)", text),
        "open_late": re.search(r"sudah terlambat (\S+?)\)", text),
        "on_time": re.search(r"Tepat waktu: (\S+%)", text),
    }
    return {k: m.group(1) for k, m in found.items() if m}


def _cards(html: str) -> dict[str, str]:
    return {
        unescape(k): v
        for v, k in re.findall(r'<div class="v">([^<]*)</div><div class="k">([^<]*)</div>', html)
    }


async def test_every_figure_equals_rekap_for_the_same_period(dash: Harness) -> None:
    h = dash
    await late_ticket_office(h)
    rekap = await rekap_text(h, KEPALA, "/rekap")
    assert rekap.startswith("Rekap")
    figures = _figures_of_rekap(rekap)
    cards = _cards(await view(h, KEPALA, "kinerja"))
    assert figures == {
        "received": cards["diterima"],
        "answered": cards["dijawab"],
        "open_late": cards["belum dijawab & terlambat"],
        "on_time": cards["tepat waktu (dari yang dapat dinilai)"],
    }
    assert figures["received"] == "2" and figures["open_late"] == "1"
    # The IKU of the quarter: the office's index as /rekap triwulan ini gives it.
    quarter = await rekap_text(h, KEPALA, "/rekap triwulan ini")
    office_iku = re.search(r"Kantor: .*?IKU (\d+,\d+)", quarter)
    html = await view(h, KEPALA, "iku")
    row = re.search(r"<td>Kantor</td>.*?<b class=\"[a-z]*\">([^<]*)</b>", html)
    assert office_iku and row and row.group(1) == office_iku.group(1)
    assert "CSO Citra" in html  # each CSO has a row


async def test_no_other_groups_data_in_any_response(dash: Harness) -> None:
    """Everything an LO can ask for, with every filter: nothing of Dewi's group."""
    h = dash
    await late_ticket_office(h)
    _, me = await call(h, LO, "/api/me", method="POST")
    for v in me["views"]:
        for query in ("", "?periode=triwulan+ini", "?satker=654321", f"?lo={LO2}"):
            status, data = await call(h, LO, f"/api/view/{v['id']}{query}")
            text = str(data)
            assert "Kemenkes" not in text and "2026-0002" not in text and "RSUD" not in text


async def test_export_sends_the_rekap_workbook_to_the_private_chat(dash: Harness) -> None:
    h = dash
    await late_ticket_office(h)
    body = {"view": "kinerja", "periode": "", "lo": "", "satker": ""}
    status, data = await call(h, CSO, "/api/ekspor", method="POST", body=body)
    assert status == 200 and "sudah kami kirim" in data["message"]
    sent = h.api.sent_to(CSO)[-1]
    assert sent.method == "sendDocument" and "rekap" in str(sent.params).lower()


async def test_bad_filters_get_a_polite_answer(dash: Harness) -> None:
    h = dash
    await late_ticket_office(h)
    for query in ("?periode=<script>", "?satker=12", "?lo=abc", "?periode=2026-13"):
        status, data = await call(h, SUPERVISOR, f"/api/view/kinerja{query}")
        assert status == 400 and "Periode" in data["error"] or "periode" in data["error"]


async def test_the_page_is_served_with_strict_headers(dash: Harness) -> None:
    h = dash
    async with aiohttp.ClientSession() as http, http.get(base(h) + "/") as r:
        page = await r.text()
        csp = r.headers["Content-Security-Policy"]
        assert r.status == 200 and "Dasbor KPPN Kotabumi" in page
    assert "frame-ancestors https://web.telegram.org" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    async with aiohttp.ClientSession() as http, http.get(base(h) + "/static/dasbor.js") as r:
        assert r.status == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
    async with aiohttp.ClientSession() as http, http.get(base(h) + "/static/../x") as r:
        assert r.status == 404
    assert GROUP  # the world's group exists (imported for readability of the scenarios)


async def test_staff_get_the_dasbor_button_and_operators_do_not(dash: Harness) -> None:
    h = dash
    await late_ticket_office(h)
    reply = await h.say(SUPERVISOR, SUPERVISOR, "/start")
    await h.settle()
    assert [b["web_app"]["url"] for b in reply.buttons] == ["https://dasbor.example/"]
    assert reply.buttons[0]["text"] == "📊 Dasbor"
    menu = h.api.menu_buttons[SUPERVISOR]
    assert (menu["type"], menu["web_app"]["url"]) == ("web_app", "https://dasbor.example/")
    summary = await rekap_text(h, LO, "/rekap")
    sent = [s for s in h.api.sent_to(LO) if s.plain == summary][-1]
    assert [b["text"] for b in sent.buttons] == ["📊 Dasbor"]

    reply = await h.say(OPERATOR, OPERATOR, "/start")
    await h.settle()
    assert reply.buttons == [] and OPERATOR not in h.api.menu_buttons
    reply = await h.say(GROUP, SUPERVISOR, "/bantuan")  # a group: no web_app button there
    assert reply.buttons == []


async def test_no_button_without_a_dashboard(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    reply = await h.say(SUPERVISOR, SUPERVISOR, "/start")
    assert reply.buttons == [] and h.api.menu_buttons == {}


async def test_the_compliance_section_sees_the_clean_and_clear_figures(dash: Harness) -> None:
    """The compliance section reports the complaint figures but holds no ticket role: its
    "Pengaduan" view answered 400 (the ticket recap's scope was None for it)."""
    h = dash
    await compliance_office(h)
    await h.say(GROUP, OPERATOR, "/pengaduan Antrean loket terlalu lama tanpa kejelasan")
    await h.settle()
    await h.say(KEPATUHAN, KEPATUHAN, "/tindaklanjut P-2026-0001 Selesai. Antrean sudah diatur")
    status, me = await call(h, KEPATUHAN, "/api/me", method="POST")
    assert status == 200 and "pengaduan" in [v["id"] for v in me["views"]]
    html = await view(h, KEPATUHAN, "pengaduan")
    found = re.findall(r'<div class="v">(\d+)</div><div class="k">([^<]+)</div>', html)
    assert {label: value for value, label in found} == {
        "diterima": "1",
        "selesai": "1",
        "dalam proses": "0",
        "belum ditindaklanjuti": "0",
    }
    assert "2026-0" not in html.replace("P-2026-0001", "")  # no ticket data in this view
    # The ticket workbook is not theirs: a polite refusal, not "Periode belum sesuai".
    body = {"view": "pengaduan", "periode": ""}
    status, data = await call(h, KEPATUHAN, "/api/ekspor", method="POST", body=body)
    assert status == 403 and data["error"].startswith("Mohon maaf, berkas Excel rekap")
