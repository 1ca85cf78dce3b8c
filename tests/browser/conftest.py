"""A real headless Chromium (Debian's ``chromium``) driven by Playwright for Python.

The system browser is used (``executable_path``); Playwright's own browser downloads are
never needed. Without the browser or the package the tests are skipped, except when
``REQUIRE_BROWSER_TESTS=required`` (set by .ci/run, which installs both): then they fail.
On a failure the page's screenshot is kept in ``artefacts/screenshots/`` (CI keeps it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("LOBOT_CHROMIUM", "/usr/bin/chromium")
ARTEFACTS = Path(__file__).resolve().parents[2] / "artefacts" / "screenshots"


def _missing() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright)"
    if not shutil.which(CHROMIUM):
        return f"{CHROMIUM} not found (apt-get install -y chromium)"
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[FAILED] = report.failed


FAILED = pytest.StashKey[bool]()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "required":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        b = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            yield b
        finally:
            await b.close()


@pytest.fixture
async def phone(browser: Any, request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """A page the size of a small phone (360 x 740), screenshot kept if the test fails."""
    page = await browser.new_page(viewport={"width": 360, "height": 740})
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    yield page
    if request.node.stash.get(FAILED, False):
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(ARTEFACTS / f"{request.node.name}.png"), full_page=True)
    await page.close()
