"""After the asker closes and rates, the answer post no longer asks for it (issue #10)."""

from __future__ import annotations

from tests.e2e.harness import Harness
from tests.e2e.world import GROUP, OPERATOR, answer_post


async def _press(h: Harness, message_id: int, data: str) -> None:
    mark = len(h.api.calls)
    h.api.press(GROUP, OPERATOR, message_id, data)
    await h.settle()
    assert any(m == "answered" for m, _ in h.api.calls[mark:])


async def test_post_shows_the_state_after_selesai_and_rating(harness: Harness) -> None:
    h = harness
    message_id = await answer_post(h)
    assert "mohon pilih Selesai" in h.api.messages[(GROUP, message_id)]["text"]
    await _press(h, message_id, "tk:1:ok")
    shown = h.api.messages[(GROUP, message_id)]
    assert "mohon pilih" not in shown["text"] and "Tiket telah selesai" in shown["text"]
    await _press(h, message_id, "tk:1:r5")
    shown = h.api.messages[(GROUP, message_id)]
    assert "penilaian Bapak/Ibu (5/5)" in shown["text"]
    assert "Sudah diproses, silakan cek OM-SPAN." in shown["text"]  # the answer stays
    assert not (shown.get("reply_markup") or {}).get("inline_keyboard")


async def test_button_data_not_on_the_post_changes_nothing(harness: Harness) -> None:
    """A modified client can send any data for any message with buttons: an FAQ aspect
    button forged onto the answer post must not replace the answer with an FAQ entry."""
    h = harness
    message_id = await answer_post(h)
    before = dict(h.api.messages[(GROUP, message_id)])
    for data in ("fa:om-span:0:0", "tk:2:ok", "fq:0:om-span"):
        answer = await h.api.wait_answered(h.api.press(GROUP, OPERATOR, message_id, data))
        assert answer.get("text")  # told the button no longer works, not a silent spinner
    await h.settle()
    assert h.api.messages[(GROUP, message_id)] == before
    await _press(h, message_id, "tk:1:ok")  # the post's own button still works
    assert "Tiket telah selesai" in h.api.messages[(GROUP, message_id)]["text"]
