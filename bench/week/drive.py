"""Plays the scripted week against the real Application (through the fake Bot API, under
the fake clock) and records, for every scripted message, what the bot sent in response.

The simulated people act truthfully from the ground truth:
- an operator offered an FAQ menu presses the right entry if it is offered, else the
  "none of these" button; an operator given the wrong FAQ entry (or boilerplate for a
  specific case) presses "Belum terjawab" or says "maksud saya bukan itu pak";
- an LO asked privately about one of their messages ("Ini jawaban untuk #...?", or which
  ticket a reply to a bundled notice is for) presses the button naming the right ticket;
  else "Ya" when the prompt names the right ticket; else "Bukan jawaban" when the message
  was no answer; else "Tiket lain" and then the right ticket;
- an LO whose private answer the bot did not take retypes it with /jawab (counted);
- an LO who cannot answer privately (no ticket to name) answers in the group instead.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bench.week import observe as ob
from bench.week import phrases as P
from bench.week.script import LO_KINDS, WIB, Step, Week
from tests.e2e.harness import ADMIN, SENTINEL, Harness
from tests.fakeapi.server import Sent

_BELUM = re.compile(r"belum", re.IGNORECASE)
PROMPT_DEPTH = 4


@dataclass
class Record:
    step: Step
    done: bool = False
    message_id: int | None = None
    sent: list[Sent] = field(default_factory=list)
    note: str = ""
    file_id: str | None = None


@dataclass
class Run:
    """Everything the scoring needs besides the fake API and the database."""

    week: Week
    records: dict[int, Record] = field(default_factory=dict)
    extra: list[Step] = field(default_factory=list)  # clarifications made at run time
    q_msgs: dict[str, list[int]] = field(default_factory=dict)
    answered_at: dict[str, datetime] = field(default_factory=dict)
    tick_sent: list[Sent] = field(default_factory=list)
    presses: Counter[str] = field(default_factory=Counter)
    retypes: int = 0
    fallbacks: Counter[str] = field(default_factory=Counter)


class Driver:
    def __init__(self, h: Harness, week: Week) -> None:
        self.h, self.api, self.week = h, h.api, week
        self.run = Run(week)
        self.mark = 0
        self.next_tick: datetime | None = None
        self.lo_msg: dict[str, int] = {}  # qid -> the LO's answer in the group
        self.lo_actions: dict[int, list[Record]] = {}
        self.photos = 0
        self.depth = 0

    @property
    def db(self) -> aiosqlite.Connection:
        return self.h.services.db.reader

    # ---- the office ----------------------------------------------------------------------
    async def setup(self) -> None:
        h, api, week = self.h, self.api, self.week
        api.user(ADMIN, "Admin", "admin_kppn")
        for p in week.people.values():
            api.user(p.uid, p.name, p.username)
        await h.say(ADMIN, ADMIN, "/start")
        for p in week.people.values():
            if p.role != "operator":
                await h.say(p.uid, p.uid, "/start")
                reply = await h.say(ADMIN, ADMIN, f"/beriperan {p.role} @{p.username}")
                assert "diberikan" in reply.plain, reply.plain
        for g in week.groups:
            api.group(g.chat, g.title)
            api.add_bot(g.chat, ADMIN)
            await api.wait_sent(g.chat, "menunggu pendaftaran")
            reply = await h.say(g.chat, g.lo, f"/daftargrup {g.kl}")
            assert "terdaftar" in reply.plain, reply.plain
            for kode, name in g.satker:
                await h.say(g.chat, g.lo, f"/satker {kode} {name}")
        for p in week.people.values():
            if p.role == "operator" and p.chat is not None:
                await h.say(p.chat, p.uid, f"/operator {p.kode}")
        await h.settle()
        self.take()

    # ---- time ------------------------------------------------------------------------------
    async def advance_to(self, when: datetime) -> None:
        if self.next_tick is None:
            self.next_tick = when.replace(second=0, microsecond=0)
        while self.next_tick <= when:
            self.h.clock.set(self.next_tick)
            await self.h.tick()
            new = self.take()
            self.run.tick_sent += new
            await self.lo_prompts(new, None)
            self.next_tick += _tick_every(self.next_tick)
        self.h.clock.set(when)

    async def play(self, end: datetime) -> Run:
        for step in self.week.steps:
            await self.advance_to(step.at)
            await self.perform(step)
        await self.advance_to(end)
        return self.run

    def take(self) -> list[Sent]:
        new = [s for s in self.api.sent[self.mark :] if s.chat_id != SENTINEL]
        self.mark = len(self.api.sent)
        return new

    async def settle(self, rec: Record) -> None:
        await self.h.settle()
        new = self.take()
        rec.sent += new
        await self.lo_prompts(new, rec)

    # ---- one step --------------------------------------------------------------------------
    async def perform(self, step: Step) -> None:
        rec = Record(step)
        self.run.records[step.sid] = rec
        if step.needs_lo and step.qid and await self.faq_answered(step.qid):
            rec.note = "skipped: the FAQ answered it"
            return
        rec.done = True
        if step.kind in LO_KINDS and step.in_group:
            await self.lo_in_group(step, rec)
        elif step.channel:
            await self.lo_in_private(step, rec)
        else:
            await self.operator(step, rec)

    async def faq_answered(self, qid: str) -> bool:
        q = self.week.questions[qid]
        ids = self.run.q_msgs.get(qid, [])
        if q.entry is None or not ids:
            return False
        marks = ",".join("?" * len(ids))
        found = await ob.rows(
            self.db,
            f"SELECT 1 FROM faq_log WHERE chat_id = ? AND message_id IN ({marks}) "
            "AND answered = 1 AND entry_id = ?",
            q.chat,
            *ids,
            q.entry,
        )
        return bool(found)

    def say(self, step: Step, rec: Record, chat: int, text: str, reply_to: int | None) -> int:
        if step.photo:
            self.photos += 1
            rec.file_id = f"week-photo-{self.photos}"
            photo = [{"file_id": rec.file_id, "file_unique_id": rec.file_id, "width": 800,
                      "height": 600, "file_size": 1000}]  # fmt: skip
            extra: dict[str, Any] = {"photo": photo}
            if text:
                extra["caption"] = text
            m = self.api.say(chat, step.actor, "", reply_to, **extra)
        else:
            m = self.api.say(chat, step.actor, text, reply_to=reply_to)
        rec.message_id = int(m["message_id"])
        return rec.message_id

    async def operator(self, step: Step, rec: Record) -> None:
        mid = self.say(step, rec, step.chat, step.text, self.reply_target(step))
        if step.kind in ("faq", "case") and step.qid:
            self.run.q_msgs[step.qid] = [mid]
        await self.settle(rec)
        if step.kind in ("faq", "case", "clarify") and step.qid:
            await self.faq_reaction(step, rec)

    def reply_target(self, step: Step) -> int | None:
        qid = step.qid or ""
        ids = self.run.q_msgs.get(qid)
        question = ids[0] if ids else None
        if step.reply == "question":
            return question
        if step.reply == "bot_ticket":
            first = next((r for r in self.run.records.values() if r.step.qid == qid
                          and r.step.kind in ("faq", "case")), None)  # fmt: skip
            for s in first.sent if first else []:
                if s.chat_id == step.chat and ob.numbers(s.plain) and s.method == "sendMessage":
                    return int(s.message["message_id"])
            return question
        if step.reply == "lo_answer":
            return self.lo_msg.get(qid)
        return None

    # ---- the operator's answer to what the FAQ did ----------------------------------------
    async def faq_reaction(self, step: Step, rec: Record) -> None:
        assert step.qid is not None
        q = self.week.questions[step.qid]
        rng = random.Random(f"{self.week.seed}:react:{step.sid}")
        for s in list(rec.sent):
            if s.chat_id != step.chat or not s.buttons or s.reply_to not in (rec.message_id, None):
                continue
            kind = ob.kind_of(s)
            if kind == "askback":
                right = [b for b in s.buttons if q.entry and q.entry in ob.entry_ids_of(b)]
                button = right[0] if right else ob.none_button(s)
                if button is not None:
                    self.run.presses["operator: " + ("right entry" if right else "none")] += 1
                    await self.press(step.actor, s, button, rec)
                return
            if kind != "faq":
                continue
            if q.entry is not None and ob.faq_entry_of(s) == q.entry:
                return
            if step.kind == "clarify":
                return
            belum = next((b for b in s.buttons if _BELUM.search(ob.label(b))), None)
            if belum is not None and rng.random() < 0.5:
                self.run.presses["operator: belum terjawab"] += 1
                await self.press(step.actor, s, belum, rec)
            else:
                await self.clarify(step, s, rng)
            return

    async def clarify(self, step: Step, answer: Sent, rng: random.Random) -> None:
        extra = Step(step.at, step.actor, step.chat, "clarify", rng.choice(P.CLARIFY), step.qid,
                     sid=100_000 + len(self.run.extra))  # fmt: skip
        self.run.extra.append(extra)
        rec = Record(extra, done=True)
        self.run.records[extra.sid] = rec
        mid = self.say(extra, rec, extra.chat, extra.text, int(answer.message["message_id"]))
        self.run.q_msgs.setdefault(step.qid or "", []).append(mid)
        await self.settle(rec)
        await self.faq_reaction(extra, rec)

    async def press(self, user: int, s: Sent, button: dict[str, Any], rec: Record) -> None:
        self.api.press(s.chat_id, user, int(s.message["message_id"]), button["callback_data"])
        await self.settle(rec)

    # ---- the LO ------------------------------------------------------------------------------
    async def lo_in_group(self, step: Step, rec: Record) -> None:
        mid = self.say(step, rec, step.chat, step.text, self.reply_target(step))
        if step.kind == "answer" and step.qid:
            self.lo_msg.setdefault(step.qid, mid)
            self.run.answered_at.setdefault(step.qid, self.h.clock.now())
        self.lo_actions.setdefault(step.actor, []).append(rec)
        await self.settle(rec)

    async def ticket_for(self, qid: str) -> aiosqlite.Row | None:
        """The question's own ticket, else the ticket it was folded into."""
        q = self.week.questions[qid]
        ids = self.run.q_msgs.get(qid, [])
        own = await ob.ticket_of_messages(self.db, q.chat, ids)
        if own is not None or not ids:
            return own
        return await ob.folded_into(self.db, q.chat, ids[0])

    async def lo_in_private(self, step: Step, rec: Record) -> None:
        assert step.qid is not None
        q = self.week.questions[step.qid]
        t = await self.ticket_for(step.qid)
        if t is None or t["status"] != "baru":
            # Nothing to answer in private: the LO answers the question in the group.
            self.run.fallbacks["no open ticket: answered in the group"] += 1
            rec.note = "fallback: answered in the group"
            group_step = Step(step.at, step.actor, q.chat, "answer", step.text, step.qid,
                              reply="question", sid=step.sid)  # fmt: skip
            rec.step = group_step
            await self.lo_in_group(group_step, rec)
            return
        number = str(t["number"])
        self.run.answered_at.setdefault(step.qid, self.h.clock.now())
        self.lo_actions.setdefault(step.actor, []).append(rec)
        notice = self.notice_for(step.actor, number)
        if step.channel == "notice_reply" and notice is not None:
            rec.message_id = int(
                self.api.say(step.actor, step.actor, step.text,
                             reply_to=int(notice.message["message_id"]))["message_id"]
            )  # fmt: skip
            await self.settle(rec)
        elif step.channel == "button" and notice is not None and self.jawab_button(notice, number):
            await self.answer_by_button(step, rec, notice, number)
        else:
            await self.jawab(step, rec, number)
            return
        if await self.still_open(number):
            self.run.retypes += 1
            rec.note = "retyped with /jawab"
            await self.jawab(step, rec, number)

    async def jawab(self, step: Step, rec: Record, number: str) -> None:
        self.api.say(step.actor, step.actor, f"/jawab {number} {step.text}")
        await self.settle(rec)

    async def still_open(self, number: str) -> bool:
        t = await ob.ticket_by_number(self.db, number)
        return t is not None and t["status"] == "baru"

    def notice_for(self, lo: int, number: str) -> Sent | None:
        """The first message the LO got about the ticket (the notice, or a digest)."""
        for s in self.api.sent:
            if s.chat_id == lo and s.method == "sendMessage" and number in ob.numbers(s.plain):
                return s
        return None

    @staticmethod
    def jawab_button(s: Sent, number: str) -> dict[str, Any] | None:
        for b in s.buttons:
            text = ob.label(b)
            if re.search(r"\bJawab\b", text) and (number in text or len(s.buttons) <= 2):
                return b
        return None

    async def answer_by_button(self, step: Step, rec: Record, notice: Sent, number: str) -> None:
        button = self.jawab_button(notice, number)
        assert button is not None
        mark = len(rec.sent)
        await self.press(step.actor, notice, button, rec)
        prompt = next(
            (s for s in rec.sent[mark:] if s.chat_id == step.actor
             and (s.params.get("reply_markup") or {}).get("force_reply")),
            None,
        )  # fmt: skip
        if prompt is None:
            await self.jawab(step, rec, number)
            return
        self.api.say(step.actor, step.actor, step.text, reply_to=int(prompt.message["message_id"]))
        await self.settle(rec)

    # ---- the LO's answers to the bot's private questions --------------------------------------
    async def lo_prompts(self, new: list[Sent], rec: Record | None) -> None:
        if self.depth >= PROMPT_DEPTH:
            return
        for s in new:
            actions = self.lo_actions.get(s.chat_id)
            prompt = ob.lo_prompt(s) if actions else None
            if prompt is None or not actions:
                continue
            about = next((r for r in reversed(actions) if r.step.text[:25] in s.plain),
                         actions[-1])  # fmt: skip
            button = await self.choose(prompt, about)
            if button is None:
                continue
            self.depth += 1
            try:
                self.run.presses["LO: " + ob.label(button)[:30]] += 1
                await self.press(s.chat_id, s, button, rec or about)
            finally:
                self.depth -= 1

    async def choose(self, p: ob.Prompt, about: Record) -> dict[str, Any] | None:
        step = about.step
        t = await self.ticket_for(step.qid) if step.qid else None
        return ob.choose(p, step.kind, str(t["number"]) if t is not None else None)


def _tick_every(t: datetime) -> timedelta:
    local = t.astimezone(WIB)
    busy = local.weekday() < 5 and 7 <= local.hour < 18
    return timedelta(minutes=5 if busy else 30)
