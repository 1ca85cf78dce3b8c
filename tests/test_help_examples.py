"""Every command in the help catalog has one example that its own parser accepts, and the
help texts stay valid Telegram HTML under 4096 characters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import faq, parsing, periods
from bot.app import build_application
from bot.broadcast import status, targets
from bot.complaints import parse_number
from bot.deadlines.commands import AddRequest, parse_add
from bot.haicso.dayfile import parse_request as haicso_file_request
from bot.roles import GRANTABLE, parse_role
from bot.tickets import CHANNEL_ALIASES
from config.offices import OfficeSpec
from config.settings import Settings
from handlers.notifikasi import MODES
from messages.help import EXAMPLES, Command, command_help, find, help_text
from tests.fakeapi.html_check import plain_text
from tests.fakeapi.server import TEXT_LIMIT

WIB = ZoneInfo("Asia/Jakarta")
YEAR = 2026


def _ticket(a: str) -> bool:
    return parsing.ticket_number(parsing.split_first(a)[0], YEAR) is not None


def _ticket_then_text(a: str) -> bool:
    return _ticket(a) and bool(parsing.split_first(a)[1])


def _role_user(a: str) -> bool:
    role, who = parsing.split_first(a)
    return parse_role(role) is not None and parsing.user_ref(who) is not None


def _satker(a: str) -> bool:
    kode, name = parsing.split_first(a)
    return parsing.kode_satker(kode) is not None and bool(name)


def _catat(a: str) -> bool:
    channel, rest = parsing.split_first(a)
    kode, rest = parsing.split_first(rest)
    question = parsing.received_prefix(rest)[2]
    return (
        channel.lower() in CHANNEL_ALIASES
        and parsing.kode_satker(kode) is not None
        and bool(question)
    )


def _libur(a: str) -> bool:
    verb, rest = parsing.split_first(a)
    return verb in ("tambah", "kerja", "hapus") and parsing.iso_date(rest.split()[0]) is not None


def _cuti(a: str) -> bool:
    who, until = parsing.split_first(a)
    return parsing.user_ref(who) is not None and parsing.iso_date(until) is not None


def _tahap(a: str) -> bool:
    verb, rest = parsing.split_first(a)
    return verb == "tambah" and isinstance(parse_add(rest), AddRequest)


def _alihkan(a: str) -> bool:
    number, who = parsing.split_first(a)
    return _ticket(number) and parsing.user_ref(who) is not None


def _followup(a: str) -> bool:
    number, body = parsing.split_first(a)
    return parse_number(number) is not None and bool(body)


def _text(a: str) -> bool:
    return bool(a.strip())


def _bare(a: str) -> bool:
    return a == ""


# How each command's handler reads its arguments (the same parser functions it calls).
CHECKS: dict[str, Callable[[str], bool]] = {
    "bantuan": lambda a: a in EXAMPLES,
    "operator": lambda a: parsing.kode_satker(a) is not None,
    "infogrup": _bare,
    "daftargrup": _text,
    "satker": _satker,
    "hapussatker": lambda a: parsing.kode_satker(a) is not None,
    "peran": _bare,
    "kantor": lambda a: a == "" or a.isdigit(),
    "beriperan": _role_user,
    "cabutperan": _role_user,
    "libur": _libur,
    "tanya": _text,
    "tiket": _ticket,
    "jawab": _ticket_then_text,
    "proses": _ticket_then_text,
    "tutup": _ticket,
    "catat": _catat,
    "alihkan": _alihkan,
    "cuti": _cuti,
    "faq": _text,
    "muatfaq": _bare,
    "faqgagal": _bare,
    "faqdraf": _bare,
    "tinjaufaq": lambda a: a == "" or faq.ID_RE.fullmatch(a) is not None,
    "kembalikanfaq": lambda a: (
        faq.ID_RE.fullmatch(a.partition(" ")[0]) is not None and bool(a.partition(" ")[2].strip())
    ),
    "faqstatus": _bare,
    "rekap": lambda a: periods.parse(a, date(YEAR, 12, 1)) is not None,
    "haicso": lambda a: haicso_file_request(a, date(YEAR, 12, 1)) is not None,
    "pengaduan": _text,
    "tindaklanjut": _followup,
    "notifikasi": lambda a: a in MODES,
    "tahap": _tahap,
    "umumkan": lambda a: targets.parse(a) is not None,
    "status": lambda a: status.parse(a) is not None,
}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> list[Command]:
    db = Path(tmp_path_factory.mktemp("help")) / "x.sqlite3"
    # With a second office: /kantor exists only in a deployment of several.
    settings = replace(
        Settings(token="1:x", database=db), offices=(OfficeSpec(2, "KPPN Makassar I"),)
    )
    app = build_application(settings, tick_job=False)
    return list(app.bot_data.commands)


def _args(example: str, name: str) -> str:
    """The argument text as the handlers read it (handlers.common.arg_text)."""
    parts = example.split(maxsplit=1)
    assert parts[0] == f"/{name}", example
    return parts[1].strip() if len(parts) > 1 else ""


def test_every_command_has_an_example_its_parser_accepts(catalog: list[Command]) -> None:
    names = [c.name for c in catalog]
    assert len(names) == len(set(names)) and len(names) >= 25
    assert set(names) == set(EXAMPLES), "a command without an example, or an example too many"
    assert set(names) <= set(CHECKS), "add how the new command parses to CHECKS"
    for name in names:
        args = _args(EXAMPLES[name], name)
        assert CHECKS[name](args), EXAMPLES[name]


def test_help_texts_are_valid_html_under_the_limit(catalog: list[Command]) -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=WIB)
    everything = set(GRANTABLE)
    for roles in (set(), {"lo"}, everything):
        for chat in ("private", "group"):
            text = help_text(catalog, roles, chat, now, WIB)
            assert len(plain_text(text)) < TEXT_LIMIT
            assert "Contoh:" not in text  # the overview stays a list; examples are per command
    for cmd in catalog:
        text = command_help(cmd)
        shown = plain_text(text)
        assert len(shown) < TEXT_LIMIT and EXAMPLES[cmd.name] in shown
        assert find(catalog, f"/{cmd.name.upper()}") == cmd
