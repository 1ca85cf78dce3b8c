"""The dashboard in a real headless Chromium at phone size, against the running bot."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from bot.clock import FakeClock
from tests.e2e.harness import TOKEN, Harness
from tests.e2e.test_dashboard import OTHER_TOKEN, base, dashboard_harness, late_ticket_office
from tests.e2e.world import LO, OPERATOR, SUPERVISOR
from tests.fakeapi.server import FakeBotAPI
from tests.initdata import init_data

DARK = {"bg_color": "#17212b", "text_color": "#f5f5f5", "button_color": "#5288c1"}


@pytest.fixture
async def dash(api: FakeBotAPI, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    h = dashboard_harness(api, clock, tmp_path)
    await h.start()
    await late_ticket_office(h)
    yield h
    await h.stop()


def launch_url(
    h: Harness, user: int, token: str = TOKEN, theme: dict[str, str] | None = None
) -> str:
    """How Telegram opens a Mini App: the launch data in the URL's fragment."""
    data = init_data(token, user, h.clock.now())
    fragment = f"tgWebAppData={quote(data, safe='')}&tgWebAppVersion=7.0&tgWebAppPlatform=web"
    if theme:
        fragment += "&tgWebAppThemeParams=" + quote(json.dumps(theme), safe="")
    return f"{base(h)}/#{fragment}"


async def opened(page: Any, url: str) -> list[tuple[str, int]]:
    """Open the page and wait for its first answer; returns the API answers (path, status).

    Waits use selectors, not page functions: the page's CSP forbids eval, and Playwright's
    polling of a function would need it."""
    answers: list[tuple[str, int]] = []
    page.on("response", lambda r: "/api/" in r.url and answers.append((r.url, r.status)))
    await page.goto(url)
    await page.locator("#tabs button, #view .notice").first.wait_for()
    await shown(page)
    return answers


async def shown(page: Any) -> None:
    """The view has its answer (the script marks #view busy while it asks)."""
    await page.locator("#view:not([aria-busy])").wait_for()


async def test_the_supervisor_sees_the_late_ticket_on_a_phone(dash: Harness, phone: Any) -> None:
    await opened(phone, launch_url(dash, SUPERVISOR))
    view = await phone.inner_text("#view")
    assert "2026-0001" in view and "Sari Lestari" in view and "terlambat" in view
    assert await phone.evaluate("location.hash") == ""  # the launch data left the address bar

    tabs = await phone.query_selector_all("#tabs button")
    assert len(tabs) >= 4  # Tiket, Kinerja, IKU, Tahap for a Kepala Seksi
    for tab in tabs:  # every view at 360 px: no horizontal overflow, charts labelled
        await tab.click()
        await shown(phone)
        name = await tab.inner_text()
        width = await phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name}: the page is {width} px wide"
        for chart in await phone.query_selector_all("svg.chart"):
            assert await chart.get_attribute("role") == "img"
            assert (await chart.get_attribute("aria-label") or "").strip()

    await tabs[0].click()
    await shown(phone)
    await phone.fill("#f-satker", "654321")  # Dewi's satker: none of Sari's tickets
    await phone.dispatch_event("#f-satker", "change")
    await shown(phone)
    assert "2026-0001" not in await phone.inner_text("#view")
    assert phone.console_errors == []  # no CSP violation, no script error, nothing missing


async def test_refusals_show_no_data(dash: Harness, phone: Any) -> None:
    """An operator: a polite refusal (403); forged launch data: 401. No ticket anywhere."""
    answers = await opened(phone, launch_url(dash, OPERATOR))
    text = await phone.inner_text("body")
    assert "Mohon maaf" in text and "petugas KPPN" in text
    assert "2026-" not in await phone.content()
    assert [s for _, s in answers] == [403]
    assert await phone.is_hidden("#filters") and await phone.inner_text("#tabs") == ""

    await phone.goto("about:blank")  # a new document (only the fragment would change)
    answers = await opened(phone, launch_url(dash, SUPERVISOR, token=OTHER_TOKEN))
    assert [s for _, s in answers][-1:] == [401]
    assert "tidak sah" in await phone.inner_text("#view")
    assert "2026-" not in await phone.content()


async def test_an_lo_sees_no_other_group_and_the_theme_is_telegrams(
    dash: Harness, phone: Any
) -> None:
    await opened(phone, launch_url(dash, LO, theme=DARK))
    for tab in await phone.query_selector_all("#tabs button"):
        await tab.click()
        await shown(phone)
        html = await phone.content()
        assert "Kemenkes" not in html and "2026-0002" not in html and "RSUD" not in html
    bg = await phone.evaluate("getComputedStyle(document.body).backgroundColor")
    color = await phone.evaluate("getComputedStyle(document.body).color")
    assert (bg, color) == ("rgb(23, 33, 43)", "rgb(245, 245, 245)")
