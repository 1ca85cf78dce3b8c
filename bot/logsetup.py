"""Logging set-up for the process: one format, quiet HTTP client, secrets never written.

The bot token is part of every Bot API URL, and python-telegram-bot puts it in messages
of its own (``InvalidToken: The token `...` was rejected`` on a 401/404, "Set Bot API URL"
at debug level). ``RedactSecrets`` rewrites each record before a handler formats it: the
message with its arguments, the exception text and the stack text.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MASK = "[token]"


class RedactSecrets(logging.Filter):
    """Replaces each secret (and the part after a token's colon) with ``MASK``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        found: set[str] = set()
        for secret in secrets:
            if not secret:
                continue
            found.add(secret)
            # The secret half alone: it also hides "123%3Aabc" and a token cut at the colon.
            _, _, tail = secret.partition(":")
            if len(tail) >= 8:
                found.add(tail)
        # Longest first, so the whole token is masked before its tail is looked for.
        self._secrets = sorted(found, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure(level: int = logging.INFO, stream: TextIO | None = None) -> logging.Handler:
    """The process's one log handler (stderr unless told), in our format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL contains the token: the filter
    # would mask it, but a line per request is noise anyway.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # APScheduler (PTB's job queue) says "Running job ..." and "... executed successfully"
    # at INFO for every run of every job: two lines every 3 s, most of a week's log.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    handler.addFilter(QuietBootstrap())
    return handler


class QuietBootstrap(logging.Filter):
    """Drop python-telegram-bot's report of a failed start-up request (its "Bootstrap"
    retry loop logs the whole traceback): ``lobot run`` reports that failure itself, in
    one line (bot/__main__.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name.startswith("telegram.ext")
            and record.levelno >= logging.ERROR
            and "(Bootstrap" in record.getMessage()
        )


def protect(*secrets: str) -> RedactSecrets:
    """Mask ``secrets`` in everything the root logger's handlers write from now on."""
    redactor = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    return redactor


class Repeated:
    """One log line per ``every`` seconds for an error that repeats, with its count.

    A full disk fails every update, every send round and every tick: thousands of
    identical tracebacks a minute (7,000-8,000 in 25 s) bury the one line that says what
    is wrong. The first occurrence is logged at once; later ones are counted and logged
    once ``every`` seconds have passed, saying how many there were.
    """

    def __init__(
        self,
        logger: logging.Logger,
        every: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.every = every
        self._monotonic = monotonic
        self._last: float | None = None
        self._count = 0

    def error(self, message: str, *args: object, exc_info: BaseException | None = None) -> bool:
        """Log ``message`` (True) or count it for the next line (False)."""
        now = self._monotonic()
        self._count += 1
        if self._last is not None and now - self._last < self.every:
            return False
        if self._count > 1:
            message += f" ({self._count} times since the last such line)"
        self.logger.error(message, *args, exc_info=exc_info)
        self._last, self._count = now, 0
        return True
