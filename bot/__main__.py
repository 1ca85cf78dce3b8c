"""Command line: `lobot run`, `lobot check-config` (also `python -m bot`)."""

from __future__ import annotations

import argparse
import logging
import sys

from config.settings import SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lobot", description="Bot layanan LO KPPN")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (long polling)")
    sub.add_parser("check-config", help="validate the settings and exit")
    content = sub.add_parser("check-content", help="validate FAQ content files and exit")
    content.add_argument("folder", nargs="?", help="content folder (default: the shipped one)")
    args = parser.parse_args(argv)
    command = args.command or "run"
    if command == "check-content":
        return _check_content(args.folder)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"lobot: invalid configuration: {exc}", file=sys.stderr)
        return 2
    if command == "check-config":
        for key, value in settings.redacted().items():
            print(f"{key} = {value}")
        print("configuration OK")
        return 0
    from bot.app import build_application

    app = build_application(settings)
    app.run_polling(
        allowed_updates=["message", "edited_message", "callback_query", "my_chat_member"]
    )
    return 0


def _check_content(folder: str | None) -> int:
    from pathlib import Path

    from bot import faq

    try:
        entries = faq.load_dir(Path(folder) if folder else faq.default_content_dir())
    except faq.ContentError as exc:
        print(f"lobot: content refused: {exc}", file=sys.stderr)
        return 1
    print(f"content OK: {len(entries)} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
