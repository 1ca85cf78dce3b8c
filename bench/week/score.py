"""The figures of the simulated week, from the ground truth (the script), what the fake
Bot API received, and the database (plain SQL, read only)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import aiosqlite

from bench.week import observe as ob
from bench.week.drive import Record, Run
from bench.week.script import SILENT_KINDS, WIB, Question, Step
from tests.fakeapi.server import Sent

SENDS = ("sendMessage", "sendPhoto", "sendDocument")


@dataclass
class Figures:
    questions: int = 0
    faq_type: int = 0
    cases: int = 0
    lost: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)
    own_ticket: int = 0
    faq_only: int = 0  # the right FAQ answer and no ticket (nothing more was needed)
    faq_right: int = 0
    faq_wrong: list[str] = field(default_factory=list)  # FAQ-type given another entry
    askbacks: int = 0  # FAQ menus shown for FAQ-type questions
    askbacks_right: int = 0  # ... with the right entry among the buttons
    askbacks_cases: int = 0  # FAQ menus shown for specific cases
    cases_boilerplate: list[str] = field(default_factory=list)
    answers: int = 0  # real answers the LOs gave (any channel)
    not_recorded: list[str] = field(default_factory=list)
    as_holding: list[int] = field(default_factory=list)  # step ids
    holdings: int = 0
    holding_as_answer: list[int] = field(default_factory=list)
    # (ticket number, question) for tickets whose question had been answered
    alerted_after_answer: list[tuple[str, str]] = field(default_factory=list)
    escalated_after_answer: list[tuple[str, str]] = field(default_factory=list)
    reminded_after_answer: list[tuple[str, str]] = field(default_factory=list)
    group_messages: int = 0
    noise: list[tuple[int, str, str]] = field(default_factory=list)  # step, reason, text
    noise_reasons: Counter[str] = field(default_factory=Counter)
    group_kinds: Counter[str] = field(default_factory=Counter)
    lo_private: dict[tuple[int, date], int] = field(default_factory=dict)
    lo_unsolicited: dict[tuple[int, date], int] = field(default_factory=dict)
    status: int = 0
    status_own: int = 0
    status_without_tickets: int = 0
    complaints: int = 0
    complaints_recorded: int = 0
    complaints_ticketed: int = 0
    photos: int = 0
    photos_right: int = 0
    details: int = 0
    details_right: int = 0
    spurious_tickets: Counter[str] = field(default_factory=Counter)
    tickets: int = 0
    steps_done: int = 0
    steps_skipped: int = 0


async def score(run: Run, sent: list[Sent], db: aiosqlite.Connection) -> Figures:
    f = Figures()
    ctx = _Context(run, db)
    await ctx.load()
    f.steps_done = sum(r.done for r in run.records.values())
    f.steps_skipped = sum(not r.done for r in run.records.values())
    await _questions(ctx, f)
    await _answers(ctx, f)
    _late(ctx, f, sent)
    _noise(ctx, f)
    _private(ctx, f, sent)
    await _requests(ctx, f)
    await _attachments(ctx, f)
    return f


class _Context:
    def __init__(self, run: Run, db: aiosqlite.Connection) -> None:
        self.run, self.db, self.week = run, db, run.week
        self.own: dict[str, aiosqlite.Row] = {}  # qid -> its own ticket
        self.folded: dict[str, aiosqlite.Row] = {}
        self.faq_log: dict[tuple[int, int], aiosqlite.Row] = {}
        self.by_message: dict[tuple[int, int], Record] = {}

    async def load(self) -> None:
        for rec in self.run.records.values():
            if rec.message_id is not None:
                self.by_message[(rec.step.chat, rec.message_id)] = rec
        for row in await ob.rows(self.db, "SELECT * FROM faq_log"):
            self.faq_log[(row["chat_id"], row["message_id"])] = row
        for qid, q in self.week.questions.items():
            ids = self.run.q_msgs.get(qid, [])
            own = await ob.ticket_of_messages(self.db, q.chat, ids)
            if own is None:
                for fl in (self.faq_log.get((q.chat, m)) for m in ids):
                    if fl is not None and fl["ticket_id"]:
                        found = await ob.rows(
                            self.db, "SELECT * FROM tickets WHERE id = ?", fl["ticket_id"]
                        )
                        own = found[0] if found else None
            if own is not None:
                self.own[qid] = own
            elif ids:
                folded = await ob.folded_into(self.db, q.chat, ids[0])
                if folded is not None:
                    self.folded[qid] = folded

    def question(self, step: Step) -> Question | None:
        return self.week.questions.get(step.qid or "")

    def faq_right(self, q: Question) -> bool:
        for m in self.run.q_msgs.get(q.qid, []):
            row = self.faq_log.get((q.chat, m))
            if row is not None and row["answered"] and row["entry_id"] == q.entry and q.entry:
                return True
        return False


async def _questions(ctx: _Context, f: Figures) -> None:
    for qid, q in ctx.week.questions.items():
        if not ctx.run.q_msgs.get(qid):
            continue  # not asked (a shortened run)
        f.questions += 1
        f.faq_type += q.kind == "faq"
        f.cases += q.kind == "case"
        right = ctx.faq_right(q)
        f.faq_right += right
        f.own_ticket += qid in ctx.own
        if qid in ctx.own:
            pass
        elif qid in ctx.folded:
            f.folded.append(qid)
        elif right:
            f.faq_only += 1
        else:
            f.lost.append(qid)
        kinds = [
            (ob.kind_of(s), s)
            for r in ctx.run.records.values()
            if r.step.qid == qid and r.step.kind in ("faq", "case", "clarify")
            for s in r.sent
            if s.chat_id == q.chat and s.method in SENDS
        ]
        if q.kind == "case" and any(k in ("faq", "askback") for k, _ in kinds):
            f.cases_boilerplate.append(qid)
        for k, s in kinds:
            if k == "askback" and q.kind == "case":
                f.askbacks_cases += 1
            elif k == "askback":
                f.askbacks += 1
                f.askbacks_right += bool(q.entry and q.entry in ob.entry_ids(s))
        if q.kind == "faq" and any(k == "faq" and ob.faq_entry_of(s) != q.entry for k, s in kinds):
            f.faq_wrong.append(qid)
    tickets = await ob.rows(ctx.db, "SELECT chat_id, message_id FROM tickets WHERE chat_id < 0")
    f.tickets = len(tickets)
    for t in tickets:
        rec = ctx.by_message.get((t["chat_id"], t["message_id"]))
        kind = rec.step.kind if rec else "unknown"
        if kind not in ("faq", "case", "clarify"):
            f.spurious_tickets[kind] += 1


def _ticket(ctx: _Context, qid: str) -> aiosqlite.Row | None:
    return ctx.own.get(qid) or ctx.folded.get(qid)


async def _answers(ctx: _Context, f: Figures) -> None:
    for rec in ctx.run.records.values():
        step = rec.step
        if not rec.done or step.kind not in ("answer", "holding") or not step.qid:
            continue
        t = _ticket(ctx, step.qid)
        events = (
            await ob.rows(
                ctx.db,
                "SELECT kind FROM ticket_events WHERE ticket_id = ? AND detail = ?",
                t["id"],
                step.text[:500],
            )
            if t is not None
            else []
        )
        posts = {ob.kind_of(s) for s in rec.sent if s.chat_id < 0 and s.method in SENDS}
        kinds = {e["kind"] for e in events}
        if step.kind == "answer":
            f.answers += 1
            if "diproses" in kinds or ("holding_post" in posts and "dijawab" not in kinds):
                f.as_holding.append(step.sid)
        else:
            f.holdings += 1
            if "dijawab" in kinds:
                f.holding_as_answer.append(step.sid)
    for qid in ctx.run.answered_at:
        t = _ticket(ctx, qid)
        if t is not None and t["answered_at"] is None:
            f.not_recorded.append(qid)


def _when(s: Sent) -> datetime:
    return datetime.fromtimestamp(int(s.message["date"]), UTC)


def _late(ctx: _Context, f: Figures, sent: list[Sent]) -> None:
    """Alerts (to the supervisor), escalations (head of office) and reminders (the LO)
    about a ticket after its question was answered."""
    supervisors = {p.uid for p in ctx.week.staff("supervisor")}
    heads = {p.uid for p in ctx.week.staff("kepala")}
    los = {p.uid for p in ctx.week.staff("lo")}
    tick_sent = {id(s) for s in ctx.run.tick_sent}
    for qid, answered in ctx.run.answered_at.items():
        t = ctx.own.get(qid)
        if t is None:
            continue
        number = str(t["number"])
        after = [
            s
            for s in sent
            if s.method in SENDS and number in ob.numbers(s.plain) and _when(s) > answered
        ]
        if any(s.chat_id in supervisors | heads for s in after):
            f.alerted_after_answer.append((number, qid))
        if any(s.chat_id in heads for s in after):
            f.escalated_after_answer.append((number, qid))
        if any(s.chat_id in los and id(s) in tick_sent for s in after):
            f.reminded_after_answer.append((number, qid))


def _noise(ctx: _Context, f: Figures) -> None:
    """Every bot message in a group, judged against the ground truth of what caused it."""
    answered_entries: set[tuple[int, int, str, date]] = set()
    for rec in sorted(ctx.run.records.values(), key=lambda r: (r.step.at, r.step.sid)):
        q = ctx.question(rec.step)
        for s in rec.sent:
            if s.chat_id >= 0 or s.method not in SENDS:
                continue
            f.group_messages += 1
            kind = ob.kind_of(s)
            f.group_kinds[kind] += 1
            reason = _noise_reason(rec.step, q, s, kind)
            if kind == "faq":
                key = (rec.step.actor, s.chat_id, ob.faq_entry_of(s) or "", rec.step.at.date())
                if key in answered_entries and reason is None:
                    reason = "repeated FAQ answer"
                answered_entries.add(key)
            if reason is not None:
                f.noise.append((rec.step.sid, reason, s.plain[:80]))
                f.noise_reasons[reason] += 1
    for s in ctx.run.tick_sent:
        if s.chat_id < 0 and s.method in SENDS:
            f.group_messages += 1
            f.group_kinds["tick: " + ob.kind_of(s)] += 1


def _noise_reason(step: Step, q: Question | None, s: Sent, kind: str) -> str | None:
    k = step.kind
    if k in SILENT_KINDS:
        return f"{kind} for {k}"
    is_case = q is not None and q.kind == "case"
    if is_case and k in ("case", "clarify", "detail", "photo") and kind in ("faq", "askback"):
        return "FAQ to a specific case"
    if q is not None and q.entry and k in ("faq", "clarify"):
        if kind == "faq" and ob.faq_entry_of(s) != q.entry:
            return "wrong FAQ entry"
        if kind == "askback" and q.entry not in ob.entry_ids(s):
            return "ask-back without the right entry"
    unwanted = {
        "detail": ("faq", "askback", "ticket"),
        "photo": ("faq", "askback", "ticket"),
        "status": ("faq", "askback", "ticket", "followup"),
        "complaint": ("faq", "askback", "ticket", "followup"),
        "answer": ("holding_post", "followup", "ticket", "faq", "askback"),
        "holding": ("answer_post", "followup", "ticket", "faq", "askback"),
    }
    if kind in unwanted.get(k, ()):
        return f"{kind} for {k}"
    return None


def _private(ctx: _Context, f: Figures, sent: list[Sent]) -> None:
    los = {p.uid for p in ctx.week.staff("lo")}
    own_actions = {
        id(s)
        for r in ctx.run.records.values()
        if r.step.actor in los and (not r.step.in_group or r.step.channel)
        for s in r.sent
    }
    days = set(ctx.week.days)
    for lo in los:
        for d in days:
            f.lo_private[(lo, d)] = 0
            f.lo_unsolicited[(lo, d)] = 0
    for s in sent:
        if s.chat_id not in los or s.method not in SENDS:
            continue
        d = _when(s).astimezone(WIB).date()
        if d not in days:
            continue
        f.lo_private[(s.chat_id, d)] += 1
        if id(s) not in own_actions:
            f.lo_unsolicited[(s.chat_id, d)] += 1


async def _requests(ctx: _Context, f: Figures) -> None:
    """Status requests answered with the asker's own tickets; complaints recorded."""
    for rec in ctx.run.records.values():
        step = rec.step
        if not rec.done or step.kind not in ("status", "complaint"):
            continue
        if step.kind == "status":
            f.status += 1
            own = await ob.rows(
                ctx.db,
                "SELECT number FROM tickets WHERE chat_id = ? AND asker_id = ? AND created_at < ?",
                step.chat,
                step.actor,
                step.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),  # as stored
            )
            numbers = {str(r["number"]) for r in own}
            if not numbers:
                f.status_without_tickets += 1
            shown = {n for s in rec.sent for n in ob.numbers(s.plain)}
            f.status_own += bool(numbers & shown)
            continue
        f.complaints += 1
        found = await ob.rows(
            ctx.db,
            "SELECT 1 FROM complaints WHERE chat_id = ? AND message_id = ?",
            step.chat,
            rec.message_id,
        )
        f.complaints_recorded += bool(found)
        ticket = await ob.ticket_of_messages(ctx.db, step.chat, [rec.message_id or 0])
        f.complaints_ticketed += ticket is not None


async def _attachments(ctx: _Context, f: Figures) -> None:
    """Photos kept on the ticket of their question; details (by reply) joined to it."""
    for rec in ctx.run.records.values():
        step = rec.step
        if not rec.done or step.kind not in ("photo", "detail") or not step.qid:
            continue
        right = ctx.own.get(step.qid)
        if step.kind == "photo":
            f.photos += 1
            on = await ob.rows(
                ctx.db,
                """SELECT id FROM tickets WHERE attachment_id = ?
                   UNION SELECT ticket_id FROM ticket_followups WHERE attachment_id = ?""",
                rec.file_id,
                rec.file_id,
            )
            f.photos_right += right is not None and right["id"] in {r[0] for r in on}
        else:
            f.details += 1
            joined = await ob.folded_into(ctx.db, step.chat, rec.message_id or 0)
            f.details_right += (
                right is not None and joined is not None and (joined["id"] == right["id"])
            )


# ---- the report --------------------------------------------------------------------------
def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else f"{part}/0"


def report(f: Figures, run: Run) -> str:
    per_day = list(f.lo_private.values()) or [0]
    unsolicited = list(f.lo_unsolicited.values()) or [0]
    done_when = [
        ("questions lost (no right FAQ answer, no ticket)", str(len(f.lost)), "0"),
        ("new questions folded into another ticket", str(len(f.folded)), "0"),
        ("answered tickets alerted as late (supervisor/head)", str(len(f.alerted_after_answer)),
         "0"),
        ("real answers taken as holding", str(len(f.as_holding)), "0"),
        ("bot group messages that are noise", _share(len(f.noise), f.group_messages), "<= 5%"),
        ("private messages per LO per working day",
         f"max {max(per_day)}, mean {statistics.mean(per_day):.1f}", "<= 12"),
    ]  # fmt: skip
    also = [
        ("specific cases given FAQ boilerplate or a menu",
         _share(len(f.cases_boilerplate), f.cases)),
        ("FAQ-type questions answered with the right entry",
         f"{_share(f.faq_right, f.faq_type)}; given another entry {len(f.faq_wrong)}"),
        ("FAQ menus (ask-backs) for FAQ-type: shown / right in it",
         f"{f.askbacks} / {f.askbacks_right}; menus for specific cases {f.askbacks_cases}"),
        ("status requests answered with the asker's own tickets",
         f"{_share(f.status_own, f.status)} ({f.status_without_tickets} askers had none)"),
        ("complaints recorded as complaints",
         f"{_share(f.complaints_recorded, f.complaints)}; made tickets {f.complaints_ticketed}"),
        ("photos attached to the right ticket", _share(f.photos_right, f.photos)),
        ("details (by reply) joined to the right ticket", _share(f.details_right, f.details)),
        ("answers given but never recorded on the ticket",
         _share(len(f.not_recorded), len(run.answered_at))),
        ("holding replies taken as answers", _share(len(f.holding_as_answer), f.holdings)),
        ("answered tickets escalated to the head of office", str(len(f.escalated_after_answer))),
        ("answered tickets still reminded to the LO", str(len(f.reminded_after_answer))),
        ("tickets opened for messages that are no question",
         f"{sum(f.spurious_tickets.values())} {dict(f.spurious_tickets)}"),
        ("private messages per LO per day not caused by the LO",
         f"max {max(unsolicited)}, mean {statistics.mean(unsolicited):.1f}"),
        ("private answers the LO had to retype with /jawab", str(run.retypes)),
        ("buttons pressed", str(dict(run.presses))),
        ("fallbacks", str(dict(run.fallbacks))),
        ("noise by reason", str(dict(f.noise_reasons))),
        ("bot group messages by kind", str(dict(f.group_kinds))),
    ]  # fmt: skip
    lines = [
        f"questions asked: {f.questions} ({f.faq_type} FAQ-type, {f.cases} specific cases); "
        f"tickets in groups: {f.tickets}; steps played {f.steps_done}, skipped {f.steps_skipped}",
        "",
        "== issue 17 'Done when' ==                               figure  (target)",
    ]
    lines += [f"{name:<55} {value}   ({target})" for name, value, target in done_when]
    lines += ["", "== also =="]
    lines += [f"{name:<55} {value}" for name, value in also]
    return "\n".join(lines)


def misses(f: Figures, run: Run, limit: int) -> str:
    """Examples of each miss, to read with the ground truth."""
    week = run.week
    out = []

    def qline(qid: str) -> str:
        q = week.questions[qid]
        answered = run.answered_at.get(qid)
        when = f" answered {answered.astimezone(WIB):%a %H:%M} ({q.channel})" if answered else ""
        return f"  {qid} {q.kind:<4} {q.at.astimezone(WIB):%a %H:%M} {q.text[:70]!r}{when}"

    for title, qids in (
        ("lost", f.lost),
        ("folded", f.folded),
        ("cases given FAQ", f.cases_boilerplate),
        ("answers not recorded", f.not_recorded),
        ("alerted after the answer", [q for _, q in f.alerted_after_answer]),
    ):
        if qids:
            out.append(f"-- {title} ({len(qids)}):")
            out += [qline(q) for q in qids[:limit]]
    steps = {r.step.sid: r.step for r in run.records.values()}
    for title, sids in (("answers taken as holding", f.as_holding),):
        if sids:
            out.append(f"-- {title} ({len(sids)}):")
            out += [f"  step {s} {steps[s].text[:90]!r}" for s in sids[:limit]]
    if f.noise:
        out.append(f"-- noise ({len(f.noise)}):")
        for sid, reason, text in f.noise[:limit]:
            step = steps[sid]
            out.append(f"  [{reason}] {step.kind} {step.text[:50]!r} -> {text[:60]!r}")
    return "\n".join(out)
