"""One worker process for the several-workers tests and benchmarks: ``lobot run`` on a
clock shifted to a working day. The clock reads TEST_CLOCK_START at the wall time
TEST_CLOCK_AT (seconds since the epoch) and runs on in real time, the same in every
worker, so a run is the same working morning whenever it runs (not named LOBOT_*: the
settings refuse unknown LOBOT_ names).

    python -m tests.e2e.worker
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta

from bot import logsetup
from bot.__main__ import ALLOWED_UPDATES
from bot.app import build_application
from config.settings import load_settings


class ShiftedClock:
    def __init__(self, shift: timedelta) -> None:
        self.shift = shift

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift


def main() -> int:
    start = datetime.fromisoformat(os.environ["TEST_CLOCK_START"])
    at = datetime.fromtimestamp(float(os.environ["TEST_CLOCK_AT"]), UTC)
    logsetup.configure()
    settings = load_settings()
    app = build_application(settings, ShiftedClock(start - at))
    app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return app.bot_data.exit_code


if __name__ == "__main__":
    sys.exit(main())
