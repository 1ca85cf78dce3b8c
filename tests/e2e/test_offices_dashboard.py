"""The dashboard with two offices: each user's views hold their own office's data only;
a Kanwil supervisor has the side-by-side view of their offices (issue 23)."""

from __future__ import annotations

import pytest

from tests.e2e.harness import Harness
from tests.e2e.test_dashboard import call, view
from tests.e2e.two_offices import (
    CSO_A,
    CSO_B,
    GROUP_A,
    GROUP_B,
    KANWIL,
    KANWIL_B,
    KI_A,
    KI_B,
    LO_A,
    LO_B,
    OP_A,
    OP_B,
    two_offices,
)

Q_A = "min, SPM gaji kami nomor 77 kok belum terbit SP2D nya ya?"
Q_B = "pak, revisi DIPA kami nomor 12 sudah disetujui belum ya?"


@pytest.fixture
def h(offices_harness: Harness) -> Harness:
    return offices_harness


async def test_dashboard_views_stay_in_their_office(h: Harness) -> None:
    await two_offices(h)
    mark = len(h.api.sent)
    h.api.say(GROUP_A, OP_A, Q_A)
    await h.api.wait_sent(LO_A, "Tiket baru #2026-0001", after=mark)
    h.api.say(GROUP_B, OP_B, Q_B)
    await h.api.wait_sent(LO_B, "Tiket baru #2026-0001", after=mark)
    h.api.say(GROUP_A, OP_A, "/pengaduan loket Kotabumi tutup sebelum jam 16.00")
    await h.api.wait_sent(KI_A, "Pengaduan baru", after=mark)

    for who, own, other, other_satker in (
        (CSO_A, "Kemenag Kotabumi", "Makassar", "654321"),
        (CSO_B, "Makassar", "Kotabumi", "123456"),
    ):
        html = await view(h, who, "tiket")
        assert own in html and other not in html, (who, html)
        html = await view(h, who, "kinerja")
        assert other not in html and other_satker not in html, (who, html)
    status, me = await call(h, CSO_B, "/api/me", method="POST")
    assert status == 200 and [k for k, _ in me["satker"]] == ["654321"]
    assert "kanwil" not in [v["id"] for v in me["views"]]
    html = await view(h, KI_B, "pengaduan")
    assert "Kotabumi" not in html and "P-2026-0001" not in html
    status, _ = await call(h, CSO_B, "/api/view/kanwil")
    assert status == 403

    # The Kanwil view: both offices for the Kanwil of both, office 2 only for the other.
    status, me = await call(h, KANWIL, "/api/me", method="POST")
    assert status == 200 and [v["id"] for v in me["views"]] == ["kanwil"]
    # /rekap kanwil offers the dashboard's button.
    reply = await h.say(KANWIL, KANWIL, "/rekap kanwil")
    assert reply.buttons and reply.buttons[0]["web_app"]["url"].startswith(
        "https://dasbor.example/"
    )
    html = await view(h, KANWIL, "kanwil")
    assert "KPPN Kotabumi" in html and "KPPN Makassar I" in html
    html = await view(h, KANWIL_B, "kanwil")
    assert "KPPN Makassar I" in html and "Kotabumi" not in html
    status, data = await call(h, KANWIL_B, "/api/view/kanwil?periode=1 bulan ini")
    assert status == 400 and "Kotabumi" not in str(data)
