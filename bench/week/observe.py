"""Reading what the bot did: its messages as the fake Bot API received them, and the
database through plain SQL (read only). Shared by the driver and the scoring.

Kept generic on purpose: the classification rewrite (issue 17) may change texts and
buttons, so a bot message is read by the ticket numbers and FAQ entry ids it carries and
by a few stable words, and the database by the tables every version keeps (tickets,
ticket_followups, ticket_events, complaints, faq_log).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite
import yaml

from tests.fakeapi.server import Sent

# A ticket number; a complaint's "P-2026-0001" is not one.
NUMBER = re.compile(r"(?<![A-Za-z]-)#?\b(\d{4}-\d{4})\b")
CONTENT = Path(__file__).resolve().parents[2] / "messages" / "content"


def entries() -> dict[str, str]:
    """FAQ entry id -> title, from the content files."""
    out = {}
    for path in sorted(CONTENT.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        if isinstance(data, dict) and "id" in data:
            out[str(data["id"])] = str(data.get("title", ""))
    return out


ENTRIES = entries()


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def entry_ids(s: Sent) -> set[str]:
    """FAQ entries a message's buttons name (by their callback data)."""
    found = set()
    for b in s.buttons:
        for part in str(b.get("callback_data", "")).split(":"):
            if part in ENTRIES:
                found.add(part)
    return found


def label(b: dict[str, Any]) -> str:
    return str(b.get("text", ""))


def kind_of(s: Sent) -> str:
    """What a bot message in a group is: askback, faq, followup, answer_post, holding_post,
    ticket, or other."""
    text = s.plain
    named = entry_ids(s)
    first_line = text.split("\n", 1)[0].strip()
    if len(named) >= 2 or "maksud Bapak/Ibu" in text:
        return "askback"
    if first_line in ENTRIES.values() or any("Terjawab" in label(b) for b in s.buttons):
        return "faq"
    if "pengaduan" in first_line.lower():
        return "complaint_ack"  # its number "P-2026-0001" is no ticket's
    if "Keterangan" in text and numbers(text):
        return "followup"
    if ("dijawab" in text or "Jawaban" in text) and numbers(text):
        return "answer_post"
    if "diproses" in text and numbers(text):
        return "holding_post"
    if numbers(text):
        return "ticket"
    return "other"


def faq_entry_of(s: Sent) -> str | None:
    """The entry an FAQ answer gives (from its first line, the entry's title)."""
    first_line = s.plain.split("\n", 1)[0].strip()
    for eid, title in ENTRIES.items():
        if title == first_line:
            return eid
    named = entry_ids(s)
    return next(iter(named)) if len(named) == 1 else None


# ---- prompts the bot may send (the LO's "is this the answer?", the operator's menu) -------
_YES = re.compile(r"^\W*ya\b", re.IGNORECASE)
_NOT_ANSWER = re.compile(r"bukan\s+jawaban", re.IGNORECASE)
_OTHER = re.compile(r"tiket\s+lain|lainnya", re.IGNORECASE)
# A notice's action buttons ("✍️ Jawab #...", "⏳ Diproses"), not a choice of ticket: the
# word "Jawab" alone, so that a choice labelled "Jawaban #..." is still read as a choice.
_ACTION = re.compile(r"\bjawab\b|diproses", re.IGNORECASE)
_NONE = re.compile(r"bukan|tidak\s+ada|lain", re.IGNORECASE)


@dataclass(frozen=True)
class Prompt:
    sent: Sent
    yes: dict[str, Any] | None
    not_answer: dict[str, Any] | None
    other: dict[str, Any] | None
    by_number: dict[str, dict[str, Any]]  # ticket number -> its button


def lo_prompt(s: Sent) -> Prompt | None:
    """A private question to an LO with one-tap buttons, or None for notices (their
    "✍️ Jawab #..." and "⏳ Diproses" buttons are actions, not answers to a question)."""
    if not s.buttons:
        return None
    yes = not_answer = other = None
    by_number: dict[str, dict[str, Any]] = {}
    for b in s.buttons:
        text = label(b)
        if _NOT_ANSWER.search(text):
            not_answer = b
        elif _YES.search(text):
            yes = b
        elif _OTHER.search(text):
            other = b
        elif not _ACTION.search(text):
            for n in numbers(text):
                by_number[n] = b
    if yes is None and not_answer is None and other is None and not by_number:
        return None
    return Prompt(s, yes, not_answer, other, by_number)


def choose(p: Prompt, kind: str, right: str | None) -> dict[str, Any] | None:
    """The truthful LO's tap on a prompt about their message of ground-truth ``kind``
    (answer, holding, lo_chat) whose right ticket number is ``right``: the button naming
    the right ticket; else "Ya" when the prompt names the right ticket and the message is
    an answer; else "Bukan jawaban" when it is no answer; else "Tiket lain" (then pick)."""
    if right and right in p.by_number and kind in ("answer", "holding"):
        return p.by_number[right]
    if p.yes is not None and right and right in numbers(p.sent.plain) and kind == "answer":
        return p.yes
    if p.not_answer is not None and kind != "answer":
        return p.not_answer
    return p.other


def none_button(s: Sent) -> dict[str, Any] | None:
    """The "none of these" button of an FAQ menu."""
    for b in s.buttons:
        if not entry_ids_of(b) and _NONE.search(label(b)):
            return b
    return None


def entry_ids_of(b: dict[str, Any]) -> set[str]:
    return {p for p in str(b.get("callback_data", "")).split(":") if p in ENTRIES}


# ---- the database --------------------------------------------------------------------------
async def rows(db: aiosqlite.Connection, query: str, *args: object) -> list[aiosqlite.Row]:
    async with db.execute(query, args) as cur:
        return list(await cur.fetchall())


async def ticket_of_messages(
    db: aiosqlite.Connection, chat: int, message_ids: list[int]
) -> aiosqlite.Row | None:
    """The ticket opened for one of these messages (its own), else None."""
    if not message_ids:
        return None
    marks = ",".join("?" * len(message_ids))
    found = await rows(
        db,
        f"SELECT * FROM tickets WHERE chat_id = ? AND message_id IN ({marks}) ORDER BY id",
        chat,
        *message_ids,
    )
    return found[0] if found else None


async def folded_into(db: aiosqlite.Connection, chat: int, message_id: int) -> aiosqlite.Row | None:
    """The ticket this message was attached to as a follow-up (and not split off)."""
    found = await rows(
        db,
        """SELECT t.* FROM ticket_followups f JOIN tickets t ON t.id = f.ticket_id
           WHERE f.chat_id = ? AND f.message_id = ? AND f.split_ticket_id IS NULL""",
        chat,
        message_id,
    )
    return found[0] if found else None


async def ticket_by_number(db: aiosqlite.Connection, number: str) -> aiosqlite.Row | None:
    found = await rows(db, "SELECT * FROM tickets WHERE number = ?", number)
    return found[0] if found else None
