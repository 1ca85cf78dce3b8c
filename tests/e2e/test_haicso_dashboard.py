"""The dashboard's HAI CSO view (issue 22): the open list for CSOs and admins only."""

from __future__ import annotations

from tests.e2e.harness import Harness
from tests.e2e.test_dashboard import call, dash, view  # noqa: F401  (dash: the fixture)
from tests.e2e.test_haicso_day import at, tap, three_tickets
from tests.e2e.world import CSO, LO


async def test_the_cso_sees_what_is_not_entered_and_an_lo_does_not(dash: Harness) -> None:  # noqa: F811
    h = dash
    await three_tickets(h)
    h.clock.set(at(1, 16, 0))
    await h.tick()
    await h.tick()
    first = next(s for s in h.api.sent if s.chat_id == CSO and "Tiket #2026-0001" in s.plain)
    await tap(h, first, "✅ Sudah diinput")
    _, me = await call(h, CSO, "/api/me", method="POST")
    assert "haicso" in [v["id"] for v in me["views"]]
    html = await view(h, CSO, "haicso")
    assert "2026-0002" in html and "2026-0003" in html and "2026-0001" not in html
    assert "Belum diinput ke HAI CSO" in html
    _, me = await call(h, LO, "/api/me", method="POST")
    assert "haicso" not in [v["id"] for v in me["views"]]
    status, data = await call(h, LO, "/api/view/haicso")
    assert status == 403 and "2026-" not in str(data)
