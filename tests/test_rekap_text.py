"""The recap's KPI line never scores what cannot be judged (issue #10: '0/0 (100,0%) → 4,0')."""

from __future__ import annotations

from bot import kpi
from messages.rekap import _kpi_line
from tests.fakeapi.html_check import plain_text


def test_nothing_judged_gives_no_on_time_score_and_no_iku() -> None:
    line = plain_text(_kpi_line(kpi.compute(tickets=5, on_time=0, judged=0, minimum=300)))
    assert "belum dapat dinilai" in line and "IKU belum dapat dihitung" in line
    assert "100" not in line and "4,0" not in line.split("kuantitas")[1]


def test_judged_share_says_what_it_counts() -> None:
    line = plain_text(_kpi_line(kpi.compute(tickets=10, on_time=6, judged=8, minimum=300)))
    assert "tepat waktu 6 dari 8 tiket yang sudah dapat dinilai (75,0%" in line
    assert "IKU" in line


def test_the_iku_note_does_not_contradict_the_faq_on_where_hai_cso_is() -> None:
    """The FAQ says HAI CSO tickets are no longer in OM-SPAN; the note said 'menu HAI DJPb
    di OM-SPAN'."""
    from bot import faq
    from messages.rekap import kpi_heading

    note = plain_text("\n".join(kpi_heading()))
    assert "bukan nilai resmi" in note and "HAI CSO" in note and "OM-SPAN" not in note
    entries = {e.id: e for e in faq.load_dir(faq.default_content_dir())}
    assert "bukan di OM-SPAN" in entries["om-span"].aspects["pemantauan"]
