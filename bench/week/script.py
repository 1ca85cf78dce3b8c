"""The simulated office week as data: who is in it, and every scripted message with its
ground truth (what it is, which question it belongs to). Seeded: same seed, same week.

Nothing here talks to the bot. Some steps depend on what the bot did (the LO answers only a
question the FAQ did not answer; a reply goes to the bot's ticket message when there is
one): the step says what the person means, ``bench/week/drive.py`` resolves it at run time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bench.week import phrases as P

WIB = ZoneInfo("Asia/Jakarta")
MONDAY = date(2026, 11, 23)  # a week without national holidays or cuti bersama
DAY_START, DAY_END = time(8, 0), time(16, 0)

# Ground-truth kinds of a scripted message.
NEW_QUESTION = ("faq", "case")  # an FAQ-type question; a specific case of this satker
OPERATOR_OTHER = ("detail", "photo", "clarify", "thanks", "chat", "aside", "status", "complaint")
LO_KINDS = ("answer", "holding", "lo_chat")
# What the bot should do in the group in response (anything else there is noise).
SILENT_KINDS = ("thanks", "chat", "aside", "lo_chat")

# How an LO answers (the channel), with weights.
CHANNELS = {
    "group_reply": 28,  # in the group, replying to the question
    "group_plain": 20,  # in the group, typed after the question, no reply
    "hold_then_answer": 15,  # "kami cek dulu" first, the real answer (past tense) later
    "notice_reply": 13,  # in private, replying to the bot's notice
    "jawab": 12,  # in private, /jawab <number> <text>
    "button": 12,  # in private, the notice's Jawab button then the prompt
}


@dataclass(frozen=True)
class Person:
    uid: int
    name: str
    username: str
    role: str  # operator, lo, supervisor, kepala, kepatuhan, cso
    chat: int | None = None  # an operator's group
    kode: str | None = None  # an operator's satker


@dataclass(frozen=True)
class Group:
    chat: int
    title: str
    kl: str
    lo: int
    satker: tuple[tuple[str, str], ...]  # (kode, name)


@dataclass
class Question:
    qid: str
    kind: str  # faq or case
    chat: int
    asker: int
    at: datetime
    text: str
    entry: str | None = None  # the FAQ entry that answers an FAQ-type question
    second: bool = False  # the asker's second, different question that day
    channel: str = ""  # how the LO answers it, if the FAQ does not
    answer: str = ""  # what the LO answers


@dataclass
class Step:
    """One scripted action. ``kind`` and ``qid`` are its ground truth."""

    at: datetime
    actor: int
    chat: int  # the group, or the actor's own id for private actions
    kind: str
    text: str
    qid: str | None = None
    qids: tuple[str, ...] = ()  # a status request or complaint: the questions it is about
    reply: str | None = None  # question, bot_ticket, lo_answer, notice, or None
    channel: str | None = None  # LO answers: group, notice_reply, jawab, button
    photo: bool = False
    needs_lo: bool = False  # skipped when the question already got the right FAQ answer
    sid: int = 0

    @property
    def in_group(self) -> bool:
        return self.chat < 0


@dataclass
class Week:
    seed: int
    days: list[date]
    people: dict[int, Person]
    groups: list[Group]
    questions: dict[str, Question]
    steps: list[Step] = field(default_factory=list)

    def lo_of(self, chat: int) -> int:
        return next(g.lo for g in self.groups if g.chat == chat)

    def staff(self, role: str) -> list[Person]:
        return [p for p in self.people.values() if p.role == role]


# ---- the office ------------------------------------------------------------------------------
def office(rng: random.Random, n_los: int, n_groups: int, n_operators: int) -> Week:
    people: dict[int, Person] = {}
    los = [Person(200 + i, P.LO_NAMES[i % len(P.LO_NAMES)], f"lo_{i}", "lo") for i in range(n_los)]
    for p in los:
        people[p.uid] = p
    for uid, name, role in (
        (600, "Hendra", "supervisor"),
        (700, "Kartika", "kepala"),
        (800, "Yohana", "kepatuhan"),
        (500, "Citra", "cso"),
    ):
        people[uid] = Person(uid, name, f"{role}_kppn", role)
    groups = []
    for i in range(n_groups):
        kl = P.KL_NAMES[i % len(P.KL_NAMES)]
        satker = tuple((f"{400100 + i * 10 + k}", f"Satker {kl} {k + 1}") for k in range(2))
        groups.append(Group(-1001 - i, f"LO {kl}", kl, los[i % n_los].uid, satker))
    for i in range(n_operators):
        g = groups[i % n_groups]
        kode = g.satker[(i // n_groups) % len(g.satker)][0]
        name = P.FIRST_NAMES[i % len(P.FIRST_NAMES)]
        people[1000 + i] = Person(1000 + i, name, f"op_{i}", "operator", g.chat, kode)
    days = [MONDAY + timedelta(days=d) for d in range(5)]
    return Week(0, days, people, groups, {})


# ---- phrasing ----------------------------------------------------------------------------------
def slots(rng: random.Random, op: Person) -> dict[str, str]:
    months = ["Oktober", "September", "Agustus"]
    return {
        "spm": f"{rng.randint(10, 999):05d}{rng.choice('TABC')}/{op.kode}/2026",
        "sp2d": f"2611{rng.randint(10000, 99999)}",
        "amount": f"{rng.randint(2, 950) * 100_000:,}".replace(",", "."),
        "cv": rng.choice(["Maju Jaya", "Sinar Abadi", "Karya Mandiri", "Berkah Utama"]),
        "day": f"{rng.randint(2, 20)} November",
        "month": rng.choice(months),
        "sup": f"{rng.randint(100000, 999999)}",
        "ntpn": f"{rng.randint(10**15, 10**16 - 1):X}"[:16],
        "kontrak": f"K{rng.randint(1000, 9999)}/{op.kode}",
        "kode": op.kode or "",
        "rek": f"{rng.randint(10**9, 10**10 - 1)}",
    }


def roughen(rng: random.Random, text: str) -> str:
    """Phone typing: shorthand, lower case, the question mark often left out, a typo."""
    for word, short in P.SHORTHAND.items():
        if word in text and rng.random() < 0.6:
            text = text.replace(word, short)
    if rng.random() < 0.5:
        text = text.lower()
    if text.endswith("?") and rng.random() < 0.5:
        text = text[:-1]
    if rng.random() < 0.15 and len(text) > 20:
        i = rng.randrange(5, len(text) - 5)
        if text[i].isalpha() and text[i + 1].isalpha():
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swapped letters
    return text


# ---- time ------------------------------------------------------------------------------------
def at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WIB)


def working(t: datetime, rng: random.Random) -> datetime:
    """``t`` if in working hours, else early in the next working morning (LOs answer then)."""
    local = t.astimezone(WIB)
    if local.weekday() < 5 and DAY_START <= local.time() < DAY_END:
        return t
    day = local.date() if local.time() < DAY_START else local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return at(day, 8, rng.randint(5, 50))


def question_time(rng: random.Random, day: date) -> datetime:
    if rng.random() < 0.08:  # after hours: early morning or evening
        return at(day, rng.choice([6, 7, 16, 17, 19, 20]), rng.randint(31, 59))
    return at(day, rng.randint(8, 14), rng.randint(0, 59))


def answer_delay(rng: random.Random) -> timedelta:
    r = rng.random()
    if r < 0.70:
        return timedelta(minutes=rng.randint(8, 150))
    if r < 0.90:
        return timedelta(hours=rng.randint(18, 26))
    return timedelta(hours=rng.randint(60, 80))  # late: past the two working days


# ---- the week --------------------------------------------------------------------------------
def generate(
    seed: int = 1,
    *,
    n_days: int = 5,
    n_los: int = 3,
    n_groups: int = 14,
    n_operators: int = 32,
    n_questions: int = 200,
) -> Week:
    rng = random.Random(seed)
    week = office(rng, n_los, n_groups, n_operators)
    week.seed = seed
    week.days = week.days[:n_days]
    operators = week_operators(week)
    per_day = _spread(n_questions, n_days)
    for d, day in enumerate(week.days):
        asked: list[Question] = []
        count = 0
        while count < per_day[d]:
            earlier = [q for q in asked if not q.second and q.at.time() < time(14, 0)]
            if earlier and rng.random() < 0.15:
                q = _second_question(rng, week, rng.choice(earlier))
            else:
                q = _new_question(rng, week, rng.choice(operators), question_time(rng, day))
            asked.append(q)
            count += 1
            week.steps += plan_question(rng, week, q)
        week.steps += _day_talk(rng, week, day, asked)
        if d >= 1:
            week.steps += _status_and_complaints(rng, week, day, d)
    # What would happen after the last day (late answers, thanks) is not played.
    end = datetime.combine(week.days[-1], time(23, 59), tzinfo=WIB)
    week.steps = sorted((s for s in week.steps if s.at <= end), key=lambda s: (s.at, s.sid))
    for i, s in enumerate(week.steps):
        s.sid = i
    return week


def week_operators(week: Week) -> list[Person]:
    return [p for p in week.people.values() if p.role == "operator"]


def _spread(total: int, days: int) -> list[int]:
    base = [total // days] * days
    for i in range(total - sum(base)):
        base[i] += 1
    return base


def _qid(week: Week) -> str:
    return f"Q{len(week.questions) + 1:03d}"


def _new_question(
    rng: random.Random, week: Week, op: Person, when: datetime, avoid: str | None = None
) -> Question:
    assert op.chat is not None
    if rng.random() < 0.45:
        entries = [e for e in P.FAQ_QUESTIONS if e != avoid]
        entry = rng.choice(entries)
        text = roughen(rng, rng.choice(P.FAQ_QUESTIONS[entry]))
        q = Question(_qid(week), "faq", op.chat, op.uid, when, text, entry=entry)
        q.answer = rng.choice(P.FAQ_ANSWERS)
    else:
        template, answer = rng.choice(P.CASES)
        filled = slots(rng, op)
        text = roughen(rng, template.format(**filled))
        q = Question(_qid(week), "case", op.chat, op.uid, when, text)
        q.answer = answer.format(**filled)
    q.channel = rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
    week.questions[q.qid] = q
    return q


def _second_question(rng: random.Random, week: Week, first: Question) -> Question:
    when = first.at + timedelta(minutes=rng.randint(20, 120))
    q = _new_question(rng, week, week.people[first.asker], when, avoid=first.entry)
    q.second = True
    return q


def plan_question(rng: random.Random, week: Week, q: Question) -> list[Step]:
    """The question, its details and photos, the LO's answer (if the FAQ does not give it)
    by the question's channel, and the asker's thanks."""
    lo = week.lo_of(q.chat)
    steps = [Step(q.at, q.asker, q.chat, q.kind, q.text, q.qid)]
    op = week.people[q.asker]
    if q.kind == "case" and rng.random() < 0.25:
        text = roughen(rng, rng.choice(P.DETAILS).format(**slots(rng, op)))
        when = q.at + timedelta(minutes=rng.randint(2, 12))
        steps.append(Step(when, q.asker, q.chat, "detail", text, q.qid, reply="bot_ticket"))
    r = rng.random()
    if q.kind == "case" and r < 0.12:
        when = q.at + timedelta(minutes=rng.randint(1, 4))
        steps.append(
            Step(when, q.asker, q.chat, "photo", rng.choice(P.PHOTO_CAPTIONS), q.qid, photo=True)
        )
    elif q.kind == "case" and r < 0.18:
        when = q.at + timedelta(minutes=rng.randint(3, 15))
        steps.append(
            Step(when, q.asker, q.chat, "photo", "", q.qid, reply="bot_ticket", photo=True)
        )
    answer_at = working(q.at + answer_delay(rng), rng)
    opener = rng.choice(P.ANSWER_OPENERS)
    text = opener + (q.answer[0].lower() + q.answer[1:] if opener else q.answer)
    steps += _lo_steps(rng, week, q, lo, answer_at, text)
    if rng.random() < 0.4:
        when = answer_at + timedelta(minutes=rng.randint(2, 40))
        reply = "lo_answer" if rng.random() < 0.5 else None
        steps.append(
            Step(when, q.asker, q.chat, "thanks", rng.choice(P.THANKS), q.qid, reply=reply)
        )
        if rng.random() < 0.25:
            steps.append(
                Step(when + timedelta(minutes=3), lo, q.chat, "lo_chat", rng.choice(P.LO_CHAT[:3]))
            )
    return steps


def _lo_steps(
    rng: random.Random, week: Week, q: Question, lo: int, answer_at: datetime, text: str
) -> list[Step]:
    ch = q.channel
    if ch in ("group_reply", "group_plain"):
        reply = "question" if ch == "group_reply" else None
        if reply is None and q.kind == "case" and rng.random() < 0.5:
            text = f"Pak/Bu {week.people[q.asker].name}, {text[0].lower()}{text[1:]}"
        return [Step(answer_at, lo, q.chat, "answer", text, q.qid, reply=reply, needs_lo=True)]
    if ch == "hold_then_answer":
        hold_at = working(q.at + timedelta(minutes=rng.randint(3, 25)), rng)
        answer_at = max(answer_at, hold_at + timedelta(minutes=rng.randint(45, 240)))
        hold_reply = "question" if rng.random() < 0.6 else None
        answer_reply = "question" if rng.random() < 0.4 else None
        return [
            Step(hold_at, lo, q.chat, "holding", rng.choice(P.HOLDING), q.qid,
                 reply=hold_reply, needs_lo=True),
            Step(answer_at, lo, q.chat, "answer", text, q.qid, reply=answer_reply,
                 needs_lo=True),
        ]  # fmt: skip
    return [Step(answer_at, lo, lo, "answer", text, q.qid, reply="notice", channel=ch,
                 needs_lo=True)]  # fmt: skip


def _day_talk(rng: random.Random, week: Week, day: date, asked: list[Question]) -> list[Step]:
    """Chit-chat (often from someone with an open question), asides to colleagues, the LOs'
    announcements."""
    steps = []
    operators = week_operators(week)
    for _ in range(max(2, len(week.groups) * 6 // 5)):
        when = at(day, rng.randint(8, 15), rng.randint(0, 59))
        earlier = [q for q in asked if q.at < when]
        if earlier and rng.random() < 0.5:
            q = rng.choice(earlier)
            who, chat = week.people[q.asker], q.chat
        else:
            who = rng.choice(operators)
            chat = who.chat or 0
        steps.append(Step(when, who.uid, chat, "chat", rng.choice(P.CHAT)))
    for _ in range(max(1, len(week.groups) // 3)):
        who = rng.choice(operators)
        when = at(day, rng.randint(8, 15), rng.randint(0, 59))
        steps.append(Step(when, who.uid, who.chat or 0, "aside", rng.choice(P.ASIDE)))
    for lo in week.staff("lo"):
        chat = rng.choice([g.chat for g in week.groups if g.lo == lo.uid])
        steps.append(Step(at(day, 7, 45), lo.uid, chat, "lo_chat", rng.choice(P.LO_CHAT[3:])))
    return steps


def _status_and_complaints(rng: random.Random, week: Week, day: date, d: int) -> list[Step]:
    """The day after asking: "sudah dijawab belum?"; from the third day, complaints."""
    steps = []
    before = datetime.combine(day, time(0), tzinfo=WIB)
    askers: dict[tuple[int, int], list[str]] = {}
    for q in week.questions.values():
        if q.kind == "case" and q.at < before:
            askers.setdefault((q.asker, q.chat), []).append(q.qid)
    pairs = sorted(askers)
    rng.shuffle(pairs)
    n_status = max(1, len(week.groups) // 6)
    for asker, chat in pairs[:n_status]:
        when = at(day, rng.randint(8, 10), rng.randint(0, 59))
        qids = tuple(askers[(asker, chat)])
        steps.append(Step(when, asker, chat, "status", rng.choice(P.STATUS), qids=qids))
    if d >= 2:
        for asker, chat in pairs[n_status : n_status + 1]:
            when = at(day, rng.randint(9, 13), rng.randint(0, 59))
            qids = tuple(askers[(asker, chat)])
            steps.append(Step(when, asker, chat, "complaint", rng.choice(P.COMPLAINT), qids=qids))
    return steps
