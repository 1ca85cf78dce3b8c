"""The simulated office week (bench/office_week.py) works as an instrument: one short day
with a few groups, and its counts add up. No targets here (issue 17 adds those)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.office_week import run_week
from bench.week import observe as ob
from bench.week import script
from bench.week.score import report
from tests.fakeapi.server import Sent


def test_the_script_is_seeded_and_complete() -> None:
    a = script.generate(7, n_days=2, n_groups=3, n_los=2, n_operators=6, n_questions=20)
    b = script.generate(7, n_days=2, n_groups=3, n_los=2, n_operators=6, n_questions=20)
    assert [(s.at, s.actor, s.text) for s in a.steps] == [(s.at, s.actor, s.text) for s in b.steps]
    assert len(a.questions) == 20
    kinds = Counter(s.kind for s in a.steps)
    assert kinds["faq"] + kinds["case"] == 20
    # Every step carries its ground truth: what it is, and its question where it has one.
    for s in a.steps:
        assert s.kind in (*script.NEW_QUESTION, *script.OPERATOR_OTHER, *script.LO_KINDS)
        if s.kind in (*script.NEW_QUESTION, "detail", "photo", "answer", "holding"):
            assert s.qid in a.questions
    c = script.generate(8, n_days=2, n_groups=3, n_los=2, n_operators=6, n_questions=20)
    assert [s.text for s in c.steps] != [s.text for s in a.steps]


async def test_one_day_runs_and_its_counts_add_up(tmp_path: Path) -> None:
    week = script.generate(3, n_days=1, n_groups=3, n_los=2, n_operators=6, n_questions=14)
    result = await run_week(week, tmp_path)
    f, run = result.figures, result.run
    assert f.questions == 14 == f.faq_type + f.cases
    assert f.steps_done + f.steps_skipped == len(week.steps) + len(run.extra)
    # Each question ends in exactly one of: its own ticket, the right FAQ answer (and no
    # ticket), folded into another ticket, lost.
    assert f.own_ticket + len(f.folded) + len(f.lost) + f.faq_only == f.questions
    assert set(f.lost).isdisjoint(f.folded)
    assert 0 <= len(f.noise) <= f.group_messages
    assert sum(f.noise_reasons.values()) == len(f.noise)
    assert sum(f.group_kinds.values()) == f.group_messages
    assert len(f.as_holding) <= f.answers and len(f.holding_as_answer) <= f.holdings
    assert set(f.escalated_after_answer) <= set(f.alerted_after_answer)
    assert len(f.lo_private) == 2  # two LOs, one day
    assert all(f.lo_unsolicited[k] <= n for k, n in f.lo_private.items())
    assert f.photos_right <= f.photos and f.details_right <= f.details
    assert f.group_messages > 0 and sum(f.lo_private.values()) > 0
    assert "questions lost" in report(f, run)


def _sent(chat: int, text: str, *labels: tuple[str, str]) -> Sent:
    keyboard = [[{"text": t, "callback_data": d}] for t, d in labels]
    return Sent("sendMessage", chat, text, {"message_id": 1, "reply_markup": {
        "inline_keyboard": keyboard}})  # fmt: skip


def test_the_simulated_lo_answers_a_prompt_truthfully() -> None:
    asked = _sent(200, "Ini jawaban untuk #2026-0018?", ("✅ Ya", "a:1:y"),
                  ("Tiket lain", "a:1:o"), ("Bukan jawaban", "a:1:n"))  # fmt: skip
    p = ob.lo_prompt(asked)
    assert p is not None
    assert ob.choose(p, "answer", "2026-0018") == p.yes
    assert ob.choose(p, "answer", "2026-0020") == p.other  # then pick among the tickets
    assert ob.choose(p, "holding", "2026-0018") == p.not_answer
    assert ob.choose(p, "lo_chat", None) == p.not_answer
    pick = _sent(200, "Untuk tiket yang mana?", ("#2026-0018 SPM GUP", "a:1:18"),
                 ("#2026-0020 rekon", "a:1:20"))  # fmt: skip
    p = ob.lo_prompt(pick)
    assert p is not None and ob.choose(p, "answer", "2026-0020") == p.by_number["2026-0020"]
    # A notice's buttons are actions, not a question to the LO.
    notice = _sent(200, "Tiket baru #2026-0018", ("✍️ Jawab #2026-0018", "jw:18"),
                   ("⏳ Diproses", "jp:18"))  # fmt: skip
    assert ob.lo_prompt(notice) is None


def test_an_faq_menu_is_read_by_its_entries() -> None:
    menu = _sent(-1, "maksud Bapak/Ibu TUP atau GUP?", ("TUP", "fq:3:tambahan-up"),
                 ("GUP", "fq:3:ganti-up"), ("❓ Bukan semuanya", "fv:3:n"))  # fmt: skip
    assert ob.kind_of(menu) == "askback"
    assert ob.entry_ids(menu) == {"tambahan-up", "ganti-up"}
    assert ob.none_button(menu) == menu.buttons[2]
