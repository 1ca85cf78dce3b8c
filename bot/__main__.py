"""Command line: `lobot run`, `check-config`, `check-content`, `restore`, `migrate-db`
(also `python -m bot`)."""

from __future__ import annotations

import argparse
import logging
import sys

from bot import logsetup
from config.settings import Settings, SettingsError, load_settings, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lobot", description="Bot layanan LO KPPN")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (long polling)")
    sub.add_parser("check-config", help="validate the settings and exit")
    content = sub.add_parser("check-content", help="validate FAQ content files and exit")
    content.add_argument("folder", nargs="?", help="content folder (default: the shipped one)")
    content.add_argument("--deadlines", help="deadline file (default: the shipped example)")
    restore = sub.add_parser("restore", help="replace the database with a backup (bot stopped)")
    restore.add_argument("backup", help="a backup file (e.g. lobot-backup-2026-11-23.sqlite3)")
    copy = sub.add_parser(
        "migrate-db", help="copy an SQLite office into an empty PostgreSQL database"
    )
    copy.add_argument("source", help="the SQLite file (or sqlite:///path)")
    copy.add_argument("target", help="postgresql://user@host/database (empty)")
    args = parser.parse_args(argv)
    command = args.command or "run"
    if command == "migrate-db":
        return _migrate_db(args.source, args.target)
    if command == "check-content":
        return _check_content(args.folder) or _check_deadlines(args.deadlines)
    if command == "restore":
        return _restore(args.backup)
    logsetup.configure()
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"lobot: invalid configuration: {exc}", file=sys.stderr)
        return 2
    logsetup.protect(settings.token)  # PTB puts the token in some messages (401/404)
    warnings = notes()
    if command == "check-config":
        for key, value in settings.redacted().items():
            print(f"{key} = {value}")
        for line in warnings:
            print(f"warning: {line}")
        print("configuration OK")
        return 0
    for line in warnings:
        logging.getLogger("lobot").warning("%s", line)
    return _run(settings)


ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


def _run(settings: Settings) -> int:
    """Run until SIGTERM/SIGINT; any fatal start-up error is one line and a non-zero exit.

    On SQLite one process per database (bot/instance.py); on PostgreSQL any number of
    workers, which share the work through the database (bot/workers.py)."""
    from bot.instance import AlreadyRunning, InstanceLock

    lock = None if settings.database_url else InstanceLock(settings.database)
    try:
        if lock is not None:
            lock.acquire()
    except AlreadyRunning as exc:
        print(f"lobot: {exc}; stop it first (one process per database)", file=sys.stderr)
        return 3
    except OSError as exc:
        print(f"lobot: cannot start: {exc}", file=sys.stderr)
        return 1
    try:
        from bot.app import build_application

        app = build_application(settings)
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    except Exception as exc:  # corrupt or read-only database, full disk, refused token...
        print(f"lobot: cannot start: {_start_failure(exc, settings)}", file=sys.stderr)
        return 1
    finally:
        if lock is not None:
            lock.release()
    return app.bot_data.exit_code


def _start_failure(exc: Exception, settings: Settings) -> str:
    """One line for a failed start, the token masked; where a network failure happened."""
    from telegram.error import InvalidToken, NetworkError

    reason = str(exc).replace(settings.token, "***") or type(exc).__name__
    line = f"{type(exc).__name__}: {reason}"
    if isinstance(exc, NetworkError) and not isinstance(exc, InvalidToken):
        line += (
            f" (the Bot API at {settings.base_url} cannot be reached: check the network, "
            "a proxy or firewall, and LOBOT_BASE_URL)"
        )
    return line


def _restore(backup: str) -> int:
    """Exit 0 restored, 1 refused (the reason on one line), 2 bad settings, 3 bot running."""
    import sqlite3
    from pathlib import Path

    from bot.clock import SystemClock
    from bot.instance import AlreadyRunning
    from bot.ops.restore import RestoreRefused, numbering_line, restore

    try:
        settings = load_settings(require_token=False)  # restoring needs no Telegram
        done = restore(settings.database, Path(backup), SystemClock().now())
    except SettingsError as exc:
        print(f"lobot: invalid configuration: {exc}", file=sys.stderr)
        return 2
    except AlreadyRunning as exc:
        print(f"lobot: {exc}; stop it before restoring", file=sys.stderr)
        return 3
    except RestoreRefused as exc:
        print(f"lobot: restore refused: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error) as exc:  # the database was left as it was
        print(f"lobot: restore failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    kept = f"; the previous database is kept as {done.aside}" if done.aside else ""
    print(
        f"restored {settings.database} from {backup} "
        f"(schema version {done.schema_version}, {done.size} bytes){kept}"
    )
    print(numbering_line(done))
    return 0


def _migrate_db(source: str, target: str) -> int:
    """Exit 0 copied (a line per table with its count), 1 refused or failed (nothing kept)."""
    from pathlib import Path

    if not target.startswith(("postgresql://", "postgres://")):
        print("lobot: migrate-db: the target must be a postgresql:// URL", file=sys.stderr)
        return 1
    from storage import copy

    path = Path(source.removeprefix("sqlite://")[1:] if source.startswith("sqlite://") else source)
    try:
        counts = copy.copy_office(path, target)
    except copy.CopyRefused as exc:
        print(f"lobot: migrate-db refused: {exc}", file=sys.stderr)
        return 1
    except (OSError, copy.psycopg.Error, copy.sqlite3.Error) as exc:
        print(f"lobot: migrate-db failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    for c in counts:
        print(f"{c.table}: {c.target} rows")
    print(f"copied {sum(c.target for c in counts)} rows in {len(counts)} tables; counts verified")
    return 0


def _check_content(folder: str | None) -> int:
    from pathlib import Path

    from bot import faq

    try:
        entries = faq.load_dir(Path(folder) if folder else faq.default_content_dir())
    except faq.ContentError as exc:
        print(f"lobot: content refused: {exc}", file=sys.stderr)
        return 1
    # Reviews are recorded in the bot (/tinjaufaq, /faqstatus), not in the files.
    print(f"content OK: {len(entries)} entries")
    return 0


def _check_deadlines(file: str | None) -> int:
    from pathlib import Path

    from bot.deadlines import content

    try:
        specs = content.load_file(Path(file) if file else content.example_file())
    except content.DeadlineContentError as exc:
        print(f"lobot: deadlines refused: {exc}", file=sys.stderr)
        return 1
    print(f"deadlines OK: {len(specs)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
