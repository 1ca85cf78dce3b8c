"""A simulated office week (issue 17): several LOs, their groups and operators write as
they do, Monday to Friday; the real Application answers through the fake Bot API under
the fake clock (no sleeping), the tick runs every 5 minutes of office time, and the
figures of issue 17's "Done when" are read from what the bot sent and from the database.

    .venv/bin/python -m bench.office_week                    # the week, seed 1
    .venv/bin/python -m bench.office_week --seed 2 --misses 10
    .venv/bin/python -m bench.office_week --dump /tmp/week.jsonl

The script and its ground truth: bench/week/script.py (people, times, what each message
is and which question it belongs to), phrasing in bench/week/phrases.py; the simulated
people's behaviour in bench/week/drive.py; the scoring in bench/week/score.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path

from bench.week import score as scoring
from bench.week.drive import Driver, Run
from bench.week.script import WIB, Week, generate
from bot.clock import FakeClock
from config.settings import Settings
from tests.e2e.harness import TOKEN, Harness, make_settings
from tests.fakeapi.server import FakeBotAPI


@dataclass
class Result:
    figures: scoring.Figures
    run: Run
    seconds: float


async def run_week(week: Week, folder: Path, **overrides: object) -> Result:
    start = time.perf_counter()
    first = week.days[0]
    clock = FakeClock(datetime(first.year, first.month, first.day, tzinfo=WIB) - timedelta(hours=4))
    api = FakeBotAPI(TOKEN, now=clock.now)
    await api.start()
    # The product's defaults, not the test harness's (two reminders, an hour's digest).
    product = ("reminder_shares", "digest_minutes")
    defaults = {f.name: f.default for f in fields(Settings) if f.name in product}
    settings = make_settings(api, folder / "week.sqlite3", **{**defaults, **overrides})
    h = Harness(api, clock, settings)
    await h.start()
    try:
        driver = Driver(h, week)
        await driver.setup()
        last = week.days[-1]
        end = datetime(last.year, last.month, last.day, 23, 30, tzinfo=WIB)
        run = await driver.play(end)
        figures = await scoring.score(run, list(api.sent), h.services.db.reader)
    finally:
        await h.stop()
        await api.stop()
    return Result(figures, run, time.perf_counter() - start)


def dump(run: Run, path: Path) -> None:
    """One JSON line per scripted message: its ground truth and what the bot sent."""
    with path.open("w") as out:
        for rec in sorted(run.records.values(), key=lambda r: (r.step.at, r.step.sid)):
            s = rec.step
            out.write(
                json.dumps(
                    {
                        "step": s.sid,
                        "at": s.at.astimezone(WIB).isoformat(),
                        "actor": s.actor,
                        "chat": s.chat,
                        "kind": s.kind,
                        "question": s.qid,
                        "about": list(s.qids),
                        "channel": s.channel,
                        "text": s.text,
                        "played": rec.done,
                        "note": rec.note,
                        "message_id": rec.message_id,
                        "bot": [
                            {
                                "chat": m.chat_id,
                                "method": m.method,
                                "text": m.plain[:1200],
                                "buttons": [b.get("text") for b in m.buttons],
                            }
                            for m in rec.sent
                        ],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--los", type=int, default=3)
    parser.add_argument("--groups", type=int, default=14)
    parser.add_argument("--operators", type=int, default=32)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--misses", type=int, default=0, help="show up to N examples of each")
    parser.add_argument("--dump", type=Path, help="write every step and the bot's messages")
    parser.add_argument(
        "--digest-minutes", type=float, help="LOBOT_DIGEST_MINUTES (default: the product's)"
    )
    args = parser.parse_args()
    overrides = {} if args.digest_minutes is None else {"digest_minutes": args.digest_minutes}
    week = generate(
        args.seed,
        n_days=args.days,
        n_los=args.los,
        n_groups=args.groups,
        n_operators=args.operators,
        n_questions=args.questions,
    )
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(run_week(week, Path(tmp), **overrides))
    print(
        f"office week, seed {args.seed}: {args.los} LOs, {args.groups} groups, "
        f"{args.operators} operators, {args.days} days, {len(week.steps)} scripted messages "
        f"({result.seconds:.0f} s)"
    )
    print(scoring.report(result.figures, result.run))
    if args.misses:
        print()
        print(scoring.misses(result.figures, result.run, args.misses))
    if args.dump:
        dump(result.run, args.dump)


if __name__ == "__main__":
    main()
