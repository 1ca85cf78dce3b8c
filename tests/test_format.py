from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from messages.format import esc, fmt_datetime, fmt_hours, fmt_number, greeting, split_text
from tests.fakeapi.html_check import plain_text

WIB = ZoneInfo("Asia/Jakarta")


def test_datetime_in_indonesian_with_zone() -> None:
    dt = datetime(2026, 12, 29, 15, 0, tzinfo=WIB)
    assert fmt_datetime(dt, WIB) == "Selasa, 29 Desember 2026 pukul 15.00 WIB"
    assert fmt_datetime(dt, ZoneInfo("Asia/Makassar")).endswith("16.00 WITA")
    assert fmt_datetime(dt, ZoneInfo("Asia/Jayapura")).endswith("17.00 WIT")


def test_numbers_and_hours() -> None:
    assert fmt_number(1234567) == "1.234.567"
    assert fmt_number(3.456, 2) == "3,46"
    assert fmt_hours(1.5) == "1 jam 30 menit"
    assert fmt_hours(0) == "0 menit"


def test_greeting_by_time_of_day() -> None:
    def g(h: int) -> str:
        return greeting(datetime(2026, 11, 23, h, tzinfo=WIB), WIB)

    assert [g(7), g(12), g(16), g(20)] == [
        "Selamat pagi",
        "Selamat siang",
        "Selamat sore",
        "Selamat malam",
    ]


def test_escape_makes_any_user_text_valid_html() -> None:
    nasty = '<b>tebal</b> & <script>alert("x")</script> &amp;'
    assert plain_text(esc(nasty)) == nasty


@given(st.text(min_size=0, max_size=3000))
def test_escaped_text_always_parses_back(text: str) -> None:
    assert plain_text(esc(text)) == text


@given(st.lists(st.text(min_size=0, max_size=400), min_size=1, max_size=40))
def test_split_keeps_parts_under_limit_and_html_valid(lines: list[str]) -> None:
    text = "\n".join(f"<b>{i}</b> {esc(line)}" for i, line in enumerate(lines))
    parts = split_text(text, limit=500)
    for part in parts:
        assert len(part) <= 500
        plain_text(part)  # raises on broken HTML


def test_split_long_single_line_without_spaces() -> None:
    text = esc("&" * 3000)  # 15000 characters of entities, no spaces
    parts = split_text(text)
    assert all(len(p) <= 4096 for p in parts)
    assert "".join(plain_text(p) for p in parts) == "&" * 3000


def test_split_keeps_markup_valid_on_one_long_line() -> None:
    from tests.fakeapi.html_check import plain_text

    words = " ".join(f"kata{i}" for i in range(1500))  # one line, far over the limit
    text = f"Jawaban: <b>{words}</b> <i>akhir</i>"
    parts = split_text(text)
    assert len(parts) >= 2 and all(len(p) <= 4096 for p in parts)
    shown = " ".join(plain_text(p) for p in parts)  # raises on broken HTML
    assert shown.split() == plain_text(text).split()
    assert parts[1].startswith("<b>")  # the bold text goes on bold


def test_split_never_cuts_inside_a_tag() -> None:
    from tests.fakeapi.html_check import plain_text

    text = "x" * 4090 + '<a href="https://example.org">tautan</a>'
    for part in split_text(text):
        plain_text(part)


def _split_before(text: str, limit: int) -> list[str]:
    """The quadratic splitter this replaced (issue 18, item 5): the oracle for its cuts."""
    from messages.format import _best_cut, _open_tags, _outside_tag

    parts: list[str] = []
    rest, reopen = text, ""
    budget = limit - 200
    while len(reopen) + len(rest) > limit:
        source = reopen + rest
        cut = _outside_tag(source, _best_cut(source, budget))
        if cut <= len(reopen):
            cut = budget
        part = source[:cut].rstrip()
        still_open = _open_tags(part)
        parts.append(part + "".join(f"</{name}>" for name, _ in reversed(still_open)))
        reopen = "".join(opening for _, opening in still_open)
        rest = source[cut:].lstrip("\n ")
    if rest.strip() or not parts:
        parts.append(reopen + rest)
    return [p for p in parts if p.strip() or len(parts) == 1]


PIECES = st.sampled_from(["kata", " ", "\n", "\n\n", "&amp;", "<b>", "</b>", "<i>", "</i>", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=600), st.integers(min_value=210, max_value=600))
def test_split_cuts_where_it_always_did(pieces: list[str], limit: int) -> None:
    text = "".join(pieces)
    assert split_text(text, limit) == _split_before(text, limit)


def test_split_is_linear() -> None:
    """16 MiB took 2.4 s on the event loop (every cut copied the whole rest); 8 MiB took
    21 s on a loaded machine before the change, and takes about 0.2 s now."""
    text = ("kata " * 200 + "\n") * (8 * 1024 * 1024 // 1001)
    started = time.perf_counter()
    parts = split_text(text)
    assert time.perf_counter() - started < 3
    assert all(len(p) <= 4096 for p in parts) and len(parts) > 2000
