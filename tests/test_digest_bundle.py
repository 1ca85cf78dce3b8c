"""The bundle text: what did not fit is pointed to by the command that lists it."""

from __future__ import annotations

from bot.digest import _more
from messages.digest import MAX_LINES, bundle
from storage.digest import Item
from tests.fakeapi.html_check import plain_text


def _items(prefix: str, n: int, start: int = 0) -> list[Item]:
    return [
        Item(start + i, None, "t", f"line {start + i}", f"{prefix}:{start + i}:x") for i in range(n)
    ]


def test_overflow_points_to_the_lists_of_what_was_left_out() -> None:
    tickets = _items("ticket", MAX_LINES)
    assert _more(tickets) == []
    late = tickets + _items("complaint", 2, 100) + _items("dl", 1, 200)
    assert _more(late) == ["/pengaduan", "/tahap"]
    text = bundle([i.text for i in late], [i.line for i in late], False, _more(late))
    shown = plain_text(text)
    assert "dan 3 lainnya. Lihat /pengaduan dan /tahap." in shown
    assert "Jawab" not in shown  # no ticket button on it
    assert "Lihat /tiket." in plain_text(bundle(["a", "b"] * 9, ["x"] * 18))
